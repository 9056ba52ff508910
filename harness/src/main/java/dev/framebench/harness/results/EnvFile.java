package dev.framebench.harness.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.framebench.error.BadInputException;
import dev.framebench.harness.metrics.CostModel;
import dev.framebench.harness.metrics.RequestPrices;
import dev.framebench.harness.run.RunProfile;
import dev.framebench.harness.util.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a results folder's {@code env.json} (written by the environment probe) and the price its profile set. */
public final class EnvFile {
    private EnvFile() {
    }

    /** A run's env.json, or a missing node when the folder has none (a plain scripts/bench.sh run). */
    public static JsonNode read(Path dir) {
        Path file = dir.resolve("env.json");
        if (!Files.isRegularFile(file)) {
            return MissingNode.getInstance();
        }
        try {
            return Json.MAPPER.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new BadInputException("cannot read " + file + ": " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    /** The prices the run's profile set (CPU, object-store requests), else the defaults every profile gets. */
    public static CostModel costOf(JsonNode env) {
        String price = env.path("profile").path("usdPerVcpuHour").asText(RunProfile.DEFAULT_USD_PER_VCPU_HOUR);
        return new CostModel(parsePrice(price), requestPricesOf(env));
    }

    /** The request prices of the run's profile; a run recorded before they existed gets S3 Standard's. */
    static RequestPrices requestPricesOf(JsonNode env) {
        JsonNode profile = env.path("profile");
        RequestPrices standard = RequestPrices.S3_STANDARD;
        try {
            return new RequestPrices(profile.path("usdPer1000Puts").asDouble(standard.usdPer1000Puts()),
                    profile.path("usdPer1000Gets").asDouble(standard.usdPer1000Gets()),
                    profile.path("usdPer1000Deletes").asDouble(standard.usdPer1000Deletes()),
                    profile.path("requestPriceSource").asText(standard.source()));
        } catch (RuntimeException e) {
            throw new BadInputException("bad request prices in env.json's profile: " + e.getMessage() + "; rerun, or fix usdPer1000Puts/Gets/Deletes");
        }
    }

    /** The EC2 instance type the run measured (env.json's {@code ec2.instanceType}), or empty off EC2 and without env.json. */
    public static java.util.Optional<String> instanceType(JsonNode env) {
        String type = env == null ? "" : env.path("ec2").path("instanceType").asText("").strip();
        return type.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(type);
    }

    public static double parsePrice(String text) {
        try {
            double price = Double.parseDouble(text);
            if (price > 0 && price <= 100) {
                return price;
            }
        } catch (NumberFormatException ignored) {
            // Reported below.
        }
        throw new BadInputException("bad price per vCPU-hour '" + text + "'; allowed: a number above 0 and at most 100 (US dollars)");
    }
}
