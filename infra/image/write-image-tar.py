#!/usr/bin/env python3
"""Writes a directory as a one-layer image in `docker save` format (what `docker load` and Jib's tar:// read).

Reproducible: entries are sorted, every timestamp is the epoch and every file belongs to root, except the
home directory of the unprivileged user (65532) and /tmp (1777), which the running service writes to.
Usage: write-image-tar.py ROOTFS OUTPUT.tar HISTORY-COMMENT
"""
import hashlib
import io
import json
import os
import sys
import tarfile

UNPRIVILEGED = 65532
WRITABLE_BY_SERVICE = {"home/herald": (UNPRIVILEGED, 0o750), "tmp": (0, 0o1777)}


def layer_bytes(rootfs):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as layer:
        paths = []
        for directory, subdirectories, files in os.walk(rootfs):
            subdirectories.sort()
            for name in sorted(subdirectories + files):
                paths.append(os.path.join(directory, name))
        for path in sorted(paths, key=lambda p: os.path.relpath(p, rootfs)):
            name = os.path.relpath(path, rootfs)
            info = layer.gettarinfo(path, arcname=name)
            info.mtime = 0
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            if name in WRITABLE_BY_SERVICE:
                owner, mode = WRITABLE_BY_SERVICE[name]
                info.uid = info.gid = owner
                info.mode = mode
            elif info.isdir():
                info.mode = 0o755
            if info.isfile():
                with open(path, "rb") as content:
                    layer.addfile(info, content)
            else:
                layer.addfile(info)
    return buffer.getvalue()


def add_bytes(archive, name, data):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = 0
    info.mode = 0o644
    archive.addfile(info, io.BytesIO(data))


def main(rootfs, output, comment):
    layer = layer_bytes(rootfs)
    diff_id = "sha256:" + hashlib.sha256(layer).hexdigest()
    config = {
        "architecture": "amd64",
        "os": "linux",
        "created": "1970-01-01T00:00:00Z",
        "config": {
            "Env": ["PATH=/opt/java/bin:/usr/bin:/bin", "JAVA_HOME=/opt/java", "LANG=C.UTF-8"],
            "User": f"{UNPRIVILEGED}:{UNPRIVILEGED}",
            "WorkingDir": "/home/herald",
        },
        "rootfs": {"type": "layers", "diff_ids": [diff_id]},
        "history": [{"created": "1970-01-01T00:00:00Z", "created_by": "infra/image/build-base-image.sh",
                     "comment": comment}],
    }
    config_bytes = json.dumps(config, sort_keys=True).encode()
    config_name = hashlib.sha256(config_bytes).hexdigest() + ".json"
    layer_name = diff_id.split(":")[1] + "/layer.tar"
    manifest = [{"Config": config_name, "RepoTags": ["herald-base:25"], "Layers": [layer_name]}]
    with tarfile.open(output, mode="w", format=tarfile.PAX_FORMAT) as archive:
        add_bytes(archive, config_name, config_bytes)
        add_bytes(archive, layer_name, layer)
        add_bytes(archive, "manifest.json", json.dumps(manifest).encode())


if __name__ == "__main__":
    main(*sys.argv[1:4])
