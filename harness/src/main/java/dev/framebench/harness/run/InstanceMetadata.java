package dev.framebench.harness.run;

import java.util.Map;

/**
 * Where an EC2 instance learns its own type and region. The real one is {@link Imdsv2Client}; tests pass
 * their own, which is how they prove it is never asked off EC2.
 */
@FunctionalInterface
public interface InstanceMetadata {
    /**
     * @return {@code instanceType}, {@code region}, {@code availabilityZone} where known; on failure, an
     *         {@code error} entry saying why (never an exception: the run goes on without them)
     */
    Map<String, String> fetch();
}
