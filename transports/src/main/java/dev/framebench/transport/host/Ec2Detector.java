package dev.framebench.transport.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Tells from local files alone whether this machine is an EC2 instance, so the instance metadata service
 * is asked only on EC2 and never sent a packet anywhere else: by the environment probe (instance type), and by
 * s3-handoff's credential chain (the instance role). The files are read under a root directory
 * ({@code /} in use, a folder of fake files in tests). Nitro instances show "Amazon EC2" as DMI vendor and
 * their instance id as board asset tag; Xen instances a hypervisor UUID starting "ec2".
 */
public final class Ec2Detector {
    public static final String DMI = "sys/devices/virtual/dmi/id/";

    private final Path root;

    public Ec2Detector(Path root) {
        this.root = root;
    }

    /** What showed this is EC2 ({@code name=value} of the file that did), or empty when nothing did. */
    public Optional<String> evidence() {
        String vendor = read(DMI + "sys_vendor");
        if (vendor.equals("Amazon EC2")) {
            return Optional.of("sys_vendor=" + vendor);
        }
        String bios = read(DMI + "bios_vendor");
        if (bios.equals("Amazon EC2")) {
            return Optional.of("bios_vendor=" + bios);
        }
        String hypervisorUuid = read("sys/hypervisor/uuid");
        if (hypervisorUuid.toLowerCase(java.util.Locale.ROOT).startsWith("ec2")) {
            return Optional.of("hypervisor uuid=" + hypervisorUuid);
        }
        String productUuid = read(DMI + "product_uuid");
        if (productUuid.toLowerCase(java.util.Locale.ROOT).startsWith("ec2")) {
            return Optional.of("product_uuid=" + productUuid);
        }
        // An instance id as asset tag counts only with Amazon as board vendor: other clouds use the tag too.
        String assetTag = read(DMI + "board_asset_tag");
        if (assetTag.matches("i-[0-9a-f]{8,17}") && read(DMI + "board_vendor").startsWith("Amazon")) {
            return Optional.of("board_asset_tag=" + assetTag);
        }
        return Optional.empty();
    }

    private String read(String relative) {
        Path file = root.resolve(relative);
        try {
            return Files.isReadable(file) ? Files.readString(file, StandardCharsets.UTF_8).trim() : "";
        } catch (IOException e) {
            return "";
        }
    }
}
