package dev.herald;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The data flows one way: store -> fan-out -> delivery. These rules keep the features' boundaries. */
@AnalyzeClasses(packages = "dev.herald", importOptions = ImportOption.DoNotIncludeTests.class)
class FeatureBoundariesTest {

    @ArchTest
    static final ArchRule onlyFanoutReachesIntoDelivery = noClasses()
            .that().resideOutsideOfPackages("dev.herald.delivery..", "dev.herald.fanout..")
            .should().dependOnClassesThat().resideInAPackage("dev.herald.delivery..");

    @ArchTest
    static final ArchRule notificationsKnowNothingOfHowTheyAreDelivered = noClasses()
            .that().resideInAPackage("dev.herald.notification..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.herald.delivery..", "dev.herald.fanout..");

    @ArchTest
    static final ArchRule accountsStandOnTheirOwn = noClasses()
            .that().resideInAPackage("dev.herald.auth..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "dev.herald.notification..", "dev.herald.delivery..", "dev.herald.fanout..", "dev.herald.pairing..",
                    "dev.herald.inventory..");

    @ArchTest
    static final ArchRule pairingSignsInThroughAccountsOnly = noClasses()
            .that().resideInAPackage("dev.herald.pairing..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "dev.herald.notification..", "dev.herald.delivery..", "dev.herald.fanout..", "dev.herald.inventory..");

    @ArchTest
    static final ArchRule inventoryPublishesOnlyThroughThePublishService = noClasses()
            .that().resideInAPackage("dev.herald.inventory..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "dev.herald.delivery..", "dev.herald.fanout..", "dev.herald.pairing..");
}
