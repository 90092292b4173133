package dev.saker.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.boot.SakerWebServer;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.yaml.snakeyaml.Yaml;

/**
 * The example manifest {@code docs/kubernetes/sample-app.yaml}, checked without a cluster: it
 * parses as Kubernetes objects that refer to each other consistently, and the sample application,
 * started with the container's environment (only the two ports replaced by ephemeral ones on
 * loopback), answers the probes and gets the shutdown and keep-alive settings the manifest and
 * {@code docs/deployment.md} promise.
 */
class KubernetesManifestTest {

    private static final Path MANIFEST = Path.of("..", "docs", "kubernetes", "sample-app.yaml");
    private static final Path DEPLOYMENT_DOC = Path.of("..", "docs", "deployment.md");
    /** The margin docs/deployment.md asks between the grace period and preStop plus the drain. */
    private static final Duration GRACE_MARGIN = Duration.ofSeconds(5);

    private static List<Map<String, Object>> objects;
    private static Map<String, Object> container;
    private static Map<String, String> env;
    private static ConfigurableApplicationContext app;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void parseAndStart() throws IOException {
        objects = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(MANIFEST)) {
            for (Object document : new Yaml().loadAll(reader)) {
                objects.add(map(document));
            }
        }
        Map<String, Object> podSpec = map(map(map(object("Deployment").get("spec")).get("template")).get("spec"));
        List<Object> containers = list(podSpec.get("containers"));
        assertThat(containers).hasSize(1);
        container = map(containers.get(0));
        env = new LinkedHashMap<>();
        for (Object variable : list(container.get("env"))) {
            env.put((String) map(variable).get("name"), String.valueOf(map(variable).get("value")));
        }
        // The container's environment, read by Boot as it reads the real one; only where to listen differs.
        Map<String, Object> forTest = new LinkedHashMap<>(env);
        forTest.put("SERVER_PORT", "0");
        forTest.put("SERVER_ADDRESS", "127.0.0.1");
        forTest.put("MANAGEMENT_SERVER_PORT", "0");
        forTest.put("MANAGEMENT_SERVER_ADDRESS", "127.0.0.1");
        SpringApplication application = new SpringApplication(SampleApplication.class);
        application.addInitializers(context -> context.getEnvironment().getPropertySources()
                .addFirst(new SystemEnvironmentPropertySource("manifest-systemEnvironment", forTest)));
        app = application.run();
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void everyDocumentIsAKubernetesObject() {
        assertThat(objects).extracting(o -> o.get("kind")).containsExactly("Deployment", "Service");
        for (Map<String, Object> object : objects) {
            assertThat(object.get("apiVersion")).as("apiVersion").isInstanceOf(String.class);
            assertThat(map(object.get("metadata")).get("name")).as("metadata.name").isInstanceOf(String.class);
        }
        assertThat(object("Deployment").get("apiVersion")).isEqualTo("apps/v1");
        assertThat(object("Service").get("apiVersion")).isEqualTo("v1");
    }

    @Test
    void selectorsAndNamedPortsReferToWhatExists() {
        Map<String, Object> deployment = map(object("Deployment").get("spec"));
        Object podLabels = map(map(deployment.get("template")).get("metadata")).get("labels");
        assertThat(map(deployment.get("selector")).get("matchLabels")).isEqualTo(podLabels);
        Map<String, Object> service = map(object("Service").get("spec"));
        assertThat(service.get("selector")).isEqualTo(podLabels);
        for (Object port : list(service.get("ports"))) {
            assertThat(containerPorts()).containsKey((String) map(port).get("targetPort"));
        }
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            assertThat(containerPorts()).containsKey((String) httpGet(probe).get("port"));
        }
    }

    @Test
    void theContainerPortsAreThePortsTheApplicationIsGiven() {
        assertThat(containerPorts().get("http")).isEqualTo(Integer.parseInt(env.get("SERVER_PORT")));
        assertThat(containerPorts().get("management")).isEqualTo(Integer.parseInt(env.get("MANAGEMENT_SERVER_PORT")));
    }

    @Test
    void theProbesAnswerUpOnTheManagementServer() throws Exception {
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            Map<String, Object> get = httpGet(probe);
            assertThat(get.get("port")).as(probe + " port").isEqualTo("management");
            HttpResponse<String> response = managementGet((String) get.get("path"));
            assertThat(response.statusCode()).as(probe).isEqualTo(200);
            assertThat(response.body()).as(probe).contains("\"status\":\"UP\"");
        }
        // Nothing of actuator on the application's port.
        assertThat(get(port("local.server.port"), "/actuator/health/readiness").statusCode()).isEqualTo(404);
    }

    @Test
    void theReadinessProbeFailsOnceTheApplicationRefusesTraffic() throws Exception {
        String readiness = (String) httpGet("readinessProbe").get("path");
        AvailabilityChangeEvent.publish(app, ReadinessState.REFUSING_TRAFFIC);
        try {
            HttpResponse<String> response = managementGet(readiness);
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.body()).contains("\"status\":\"OUT_OF_SERVICE\"");
            assertThat(managementGet((String) httpGet("livenessProbe").get("path")).statusCode()).isEqualTo(200);
        } finally {
            AvailabilityChangeEvent.publish(app, ReadinessState.ACCEPTING_TRAFFIC);
        }
    }

    @Test
    void preStopAndTheDrainFitInTheTerminationGracePeriod() {
        Duration grace = Duration.ofSeconds(((Number) map(map(map(object("Deployment").get("spec")).get("template"))
                .get("spec")).get("terminationGracePeriodSeconds")).longValue());
        Duration preStop = Duration.ofSeconds(((Number) map(map(map(container.get("lifecycle")).get("preStop"))
                .get("sleep")).get("seconds")).longValue());
        Binder binder = Binder.get(app.getEnvironment());
        assertThat(binder.bind("server.shutdown", String.class).get()).isEqualTo("graceful");
        Duration drain = binder.bind("spring.lifecycle.timeout-per-shutdown-phase", Duration.class).get();
        assertThat(drain).as("the manifest's value, not application.yml's").isEqualTo(Duration.ofSeconds(30));
        assertThat(preStop.plus(drain).plus(GRACE_MARGIN)).isLessThanOrEqualTo(grace);
        Duration drainIdleGrace = saker().server().config().drainIdleGrace();
        assertThat(drainIdleGrace).isEqualTo(Duration.ofSeconds(1)).isLessThan(drain);
    }

    @Test
    void sakersKeepAliveTimeoutOutlivesTheIngressIdleTimeout() throws IOException {
        Duration keepAlive = saker().server().config().keepAliveTimeout();
        assertThat(keepAlive).as("the manifest's value, not application.yml's").isEqualTo(Duration.ofSeconds(75));
        assertThat(keepAlive).isGreaterThan(ingressNginxUpstreamIdleTimeout());
    }

    /** The ingress-nginx row of the keep-alive table in docs/deployment.md: its upstream idle timeout. */
    private static Duration ingressNginxUpstreamIdleTimeout() throws IOException {
        Pattern row = Pattern.compile("^\\| ingress-nginx \\|.*\\(default (\\d+) s\\).*");
        for (String line : Files.readAllLines(DEPLOYMENT_DOC)) {
            Matcher matcher = row.matcher(line);
            if (matcher.matches()) {
                return Duration.ofSeconds(Long.parseLong(matcher.group(1)));
            }
        }
        throw new AssertionError("docs/deployment.md has no ingress-nginx row with its default idle timeout");
    }

    private static SakerWebServer saker() {
        return (SakerWebServer) ((WebServerApplicationContext) app).getWebServer();
    }

    private static Map<String, Integer> containerPorts() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (Object port : list(container.get("ports"))) {
            ports.put((String) map(port).get("name"), ((Number) map(port).get("containerPort")).intValue());
        }
        return ports;
    }

    private static Map<String, Object> httpGet(String probe) {
        return map(map(container.get(probe)).get("httpGet"));
    }

    private static HttpResponse<String> managementGet(String path) throws IOException, InterruptedException {
        return get(port("local.management.port"), path);
    }

    private static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int port(String property) {
        return Integer.parseInt(app.getEnvironment().getProperty(property));
    }

    private static Map<String, Object> object(String kind) {
        return objects.stream().filter(o -> kind.equals(o.get("kind"))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " in " + MANIFEST));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        assertThat(value).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        assertThat(value).isInstanceOf(List.class);
        return (List<Object>) value;
    }
}
