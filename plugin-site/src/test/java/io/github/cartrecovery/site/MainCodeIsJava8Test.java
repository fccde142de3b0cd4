package io.github.cartrecovery.site;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.github.cartrecovery.testing.ClassFileLevel;

class MainCodeIsJava8Test {

    @Test
    void everyMainClassIsJava8Bytecode() {
        assertThat(ClassFileLevel.newerThan(ClassFileLevel.mainClasses(), ClassFileLevel.JAVA_8)).isEmpty();
    }
}
