package dev.saker.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.ServletContextAttributeEvent;
import jakarta.servlet.ServletContextAttributeListener;
import jakarta.servlet.ServletRequestAttributeEvent;
import jakarta.servlet.ServletRequestAttributeListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import jakarta.servlet.http.HttpSessionAttributeListener;
import jakarta.servlet.http.HttpSessionBindingEvent;
import jakarta.servlet.http.HttpSessionBindingListener;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Context, request and session attributes report their changes to the listener types of each. */
class AttributeEventsTest {

    private final List<String> events = Collections.synchronizedList(new ArrayList<>());

    final class Recorder implements ServletContextAttributeListener, ServletRequestAttributeListener,
            HttpSessionAttributeListener {

        @Override
        public void attributeAdded(ServletContextAttributeEvent e) {
            events.add("context added " + e.getName() + "=" + e.getValue());
        }

        @Override
        public void attributeReplaced(ServletContextAttributeEvent e) {
            events.add("context replaced " + e.getName() + "=" + e.getValue());
        }

        @Override
        public void attributeRemoved(ServletContextAttributeEvent e) {
            events.add("context removed " + e.getName() + "=" + e.getValue());
        }

        @Override
        public void attributeAdded(ServletRequestAttributeEvent e) {
            events.add("request added " + e.getName() + "=" + e.getValue() + same(e.getServletRequest()));
        }

        @Override
        public void attributeReplaced(ServletRequestAttributeEvent e) {
            events.add("request replaced " + e.getName() + "=" + e.getValue());
        }

        @Override
        public void attributeRemoved(ServletRequestAttributeEvent e) {
            events.add("request removed " + e.getName() + "=" + e.getValue());
        }

        @Override
        public void attributeAdded(HttpSessionBindingEvent e) {
            events.add("session added " + e.getName() + "=" + e.getValue() + same(e.getSession()));
        }

        @Override
        public void attributeReplaced(HttpSessionBindingEvent e) {
            events.add("session replaced " + e.getName() + "=" + e.getValue());
        }

        @Override
        public void attributeRemoved(HttpSessionBindingEvent e) {
            events.add("session removed " + e.getName() + "=" + e.getValue());
        }
    }

    private volatile Object current;

    private String same(Object source) {
        return source == current ? "" : " (wrong source)";
    }

    final class Bound implements HttpSessionBindingListener {
        private final String name;

        Bound(String name) {
            this.name = name;
        }

        @Override
        public void valueBound(HttpSessionBindingEvent event) {
            events.add(name + " bound to " + event.getName());
        }

        @Override
        public void valueUnbound(HttpSessionBindingEvent event) {
            events.add(name + " unbound from " + event.getName());
        }

        @Override
        public String toString() {
            return name;
        }
    }

    final class Changes extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
            current = req;
            req.setAttribute("r", "1");
            req.setAttribute("r", "2");
            req.setAttribute("r", null);
            req.removeAttribute("absent");
            getServletContext().setAttribute("c", "1");
            getServletContext().setAttribute("c", "2");
            getServletContext().removeAttribute("c");
            HttpSession session = req.getSession();
            current = session;
            Bound first = new Bound("first");
            session.setAttribute("s", first);
            session.setAttribute("s", new Bound("second"));
            session.removeAttribute("s");
            session.setAttribute("t", first);
            session.invalidate();
        }
    }

    @Test
    void everyOwnerReportsAddReplaceAndRemoveAndSessionsBindValues() throws Exception {
        try (ServletServer server = ServletServer.start("", ctx -> {
            ctx.addListener(new Recorder());
            ctx.addServlet("changes", new Changes()).addMapping("/");
        })) {
            events.clear();
            BasicServletTest.get(server, "/");
            assertThat(events).containsExactly(
                    "request added r=1", "request replaced r=1", "request removed r=2",
                    "context added c=1", "context replaced c=1", "context removed c=2",
                    "first bound to s", "session added s=first",
                    "second bound to s", "first unbound from s", "session replaced s=first",
                    "second unbound from s", "session removed s=second",
                    "first bound to t", "session added t=first",
                    "first unbound from t", "session removed t=first");
        }
    }
}
