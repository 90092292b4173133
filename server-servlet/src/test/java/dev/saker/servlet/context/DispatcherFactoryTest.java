package dev.saker.servlet.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.saker.servlet.SakerServletContainer;
import dev.saker.servlet.ServletContainerConfig;
import dev.saker.servlet.dispatch.SakerRequestDispatcher;
import jakarta.servlet.http.HttpServlet;
import org.junit.jupiter.api.Test;

/** The context makes its dispatchers through the factory the container that serves it sets. */
class DispatcherFactoryTest {

    @Test
    void dispatchersNeedTheContainerThatServesTheContext() {
        SakerServletContext context = new SakerServletContext("/app", getClass().getClassLoader());
        context.addServlet("s", new HttpServlet() { });
        assertThatThrownBy(() -> context.getRequestDispatcher("/x"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("container");

        new SakerServletContainer(context, ServletContainerConfig.defaults());

        assertThat(context.getRequestDispatcher("/x?a=1")).isInstanceOf(SakerRequestDispatcher.class);
        assertThat(context.getNamedDispatcher("s")).isInstanceOf(SakerRequestDispatcher.class);
    }

    @Test
    void pathsThatAreNotContextRelativeAndUnknownNamesGetNoDispatcher() {
        SakerServletContext context = new SakerServletContext("", getClass().getClassLoader());
        new SakerServletContainer(context, ServletContainerConfig.defaults());
        assertThat(context.getRequestDispatcher("relative")).isNull();
        assertThat(context.getRequestDispatcher(null)).isNull();
        assertThat(context.getNamedDispatcher("missing")).isNull();
    }
}
