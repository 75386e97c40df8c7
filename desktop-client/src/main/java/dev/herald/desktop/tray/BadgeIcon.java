package dev.herald.desktop.tray;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/** Draws the tray icon: a bell-blue disc, with the unread count on a red badge when there is one. */
public final class BadgeIcon {

    static final Color BADGE = new Color(0xD3, 0x2F, 0x2F);
    private static final Color BASE = new Color(0x1E, 0x63, 0xB4);

    private BadgeIcon() {
    }

    public static BufferedImage render(String badge, int size) {
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(BASE);
            g.fillOval(1, 1, size - 2, size - 2);
            g.setColor(Color.WHITE);
            g.setStroke(new BasicStroke(Math.max(1, size / 12f)));
            g.drawString("H", size / 4, size * 3 / 4);
            if (!badge.isEmpty()) {
                int diameter = size * 2 / 3;
                int x = size - diameter;
                g.setColor(BADGE);
                g.fillOval(x, 0, diameter, diameter);
                g.setColor(Color.WHITE);
                g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.max(7, diameter * (badge.length() > 2 ? 5 : 7) / 10)));
                FontMetrics metrics = g.getFontMetrics();
                int textX = x + (diameter - metrics.stringWidth(badge)) / 2;
                int textY = (diameter - metrics.getHeight()) / 2 + metrics.getAscent();
                g.drawString(badge, textX, textY);
            }
        } finally {
            g.dispose();
        }
        return image;
    }
}
