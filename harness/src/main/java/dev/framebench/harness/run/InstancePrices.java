package dev.framebench.harness.run;

import dev.framebench.error.BadInputException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code profiles/instance-prices.csv}: the on-demand price per vCPU-hour of EC2 instance types, so runs
 * on several types can be priced each on its own. A type not listed takes the rate of a listed type of its
 * family (the part before the dot: sizes of one family cost the same per vCPU on demand).
 *
 * @param usdPerVcpuHour instance type to its price per vCPU-hour, in the file's order
 * @param asOf           the file's {@code # as of:} line, where the prices come from and when, in one line; empty when it has none
 */
public record InstancePrices(Map<String, Double> usdPerVcpuHour, String asOf) {
    public static final String FILE = "instance-prices.csv";
    public static final InstancePrices NONE = new InstancePrices(Map.of(), "");
    private static final String HEADER = "instance,usd_per_hour,vcpus";

    public InstancePrices {
        usdPerVcpuHour = Map.copyOf(usdPerVcpuHour);
    }

    /** A price of {@code instanceType}: how it was found ({@code type}, {@code family} of a listed type). */
    public record Price(double usdPerVcpuHour, String how) {
    }

    /** The file in {@code profilesDir}, or {@link #NONE} when there is none (every run then keeps its profile's price). */
    public static InstancePrices load(Path profilesDir) {
        Path file = profilesDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return NONE;
        }
        try {
            return parse(Files.readAllLines(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new BadInputException("cannot read " + file + ": " + e.getMessage());
        }
    }

    static InstancePrices parse(List<String> lines, String source) {
        Map<String, Double> prices = new LinkedHashMap<>();
        String asOf = "";
        boolean header = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.startsWith("# as of:")) {
                asOf = line.substring("# as of:".length()).strip();
                continue;
            }
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (!header) {
                if (!line.equals(HEADER)) {
                    throw new BadInputException(source + " line " + (i + 1) + ": expected the header '" + HEADER + "', got '" + line + "'");
                }
                header = true;
                continue;
            }
            String[] cells = line.split(",");
            try {
                double perHour = Double.parseDouble(cells[1].strip());
                int vcpus = Integer.parseInt(cells[2].strip());
                if (cells.length != 3 || !(perHour > 0) || vcpus <= 0) {
                    throw new NumberFormatException();
                }
                prices.put(cells[0].strip(), perHour / vcpus);
            } catch (RuntimeException e) {
                throw new BadInputException(source + " line " + (i + 1) + ": '" + line
                        + "' is not instance,usd_per_hour,vcpus with a price above 0 and at least 1 vCPU");
            }
        }
        return new InstancePrices(prices, asOf);
    }

    /** The price per vCPU-hour of {@code instanceType}: listed, or its family's; empty when neither is listed. */
    public Optional<Price> of(String instanceType) {
        Double listed = usdPerVcpuHour.get(instanceType);
        if (listed != null) {
            return Optional.of(new Price(listed, "listed"));
        }
        String family = familyOf(instanceType);
        return usdPerVcpuHour.entrySet().stream().filter(e -> familyOf(e.getKey()).equals(family)).findFirst()
                .map(e -> new Price(e.getValue(), "rate of " + e.getKey()));
    }

    static String familyOf(String instanceType) {
        int dot = instanceType.indexOf('.');
        return (dot < 0 ? instanceType : instanceType.substring(0, dot)).toLowerCase(Locale.ROOT);
    }
}
