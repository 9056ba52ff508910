package dev.framebench.testkit;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import dev.framebench.transport.Transport;
import dev.framebench.transport.TransportRegistry;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The conformance suite runs for every transport the registry finds: no transport ships untested. */
class EveryTransportHasAConformanceTest {
    @Test
    void everyRegisteredTransportHasASubclassOfTheSuite() throws ReflectiveOperationException {
        Set<String> covered = new TreeSet<>();
        for (JavaClass c : new ClassFileImporter().importPackages("dev.framebench.testkit")) {
            if (c.isAssignableTo(TransportConformanceTest.class) && !c.getModifiers().contains(com.tngtech.archunit.core.domain.JavaModifier.ABSTRACT)) {
                Class<?> type = Class.forName(c.getName());
                Constructor<?> constructor = type.getDeclaredConstructor();
                constructor.setAccessible(true);
                Method transport = TransportConformanceTest.class.getDeclaredMethod("transport");
                transport.setAccessible(true);
                covered.add(((Transport) transport.invoke(constructor.newInstance())).name());
            }
        }
        Set<String> registered = TransportRegistry.all().stream().map(Transport::name).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(registered, covered, "transports without a conformance test: add a subclass of TransportConformanceTest for each");
    }
}
