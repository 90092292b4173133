package dev.saker.e2e;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.security.Principal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.multipart.MultipartResolver;
import org.springframework.web.multipart.support.StandardServletMultipartResolver;
import org.springframework.web.servlet.config.annotation.EnableWebMvc;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** A small but real Spring MVC + Spring Security application, as a Tomcat user would write it. */
public final class SampleApp {

    /** Lets a test hold the SSE stream between two events. */
    static volatile CountDownLatch sseGate = new CountDownLatch(0);
    /** Bytes of the download endpoint: 1 MiB of a known pattern. */
    static final byte[] DOWNLOAD = new byte[1024 * 1024];

    static {
        for (int i = 0; i < DOWNLOAD.length; i++) {
            DOWNLOAD[i] = (byte) (i * 31 % 256);
        }
    }

    private SampleApp() {
    }

    @Configuration
    @EnableWebMvc
    static class WebConfig implements WebMvcConfigurer {
        @Override
        public void addResourceHandlers(ResourceHandlerRegistry registry) {
            registry.addResourceHandler("/static/**").addResourceLocations("classpath:/static/")
                    .setCacheControl(CacheControl.maxAge(Duration.ofHours(1)));
        }

        @Bean
        MultipartResolver multipartResolver() {
            return new StandardServletMultipartResolver();
        }

        @Bean
        ApiController apiController() {
            return new ApiController();
        }

        @Bean
        ErrorController errorController() {
            return new ErrorController();
        }
    }

    @Configuration
    @EnableWebSecurity
    static class SecurityConfig {
        @Bean
        SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
            http.authorizeHttpRequests(a -> a.requestMatchers("/secure/**").authenticated().anyRequest().permitAll())
                    .formLogin(form -> form.defaultSuccessUrl("/secure/me", true))
                    .csrf(csrf -> csrf.ignoringRequestMatchers("/api/**", "/form", "/upload"));
            return http.build();
        }

        @Bean
        UserDetailsService users() {
            return new InMemoryUserDetailsManager(User.withUsername("alice").password("{noop}secret").roles("USER").build());
        }
    }

    /** The JSON, form, upload, download, async and streaming endpoints. */
    @RestController
    static class ApiController {

        record Item(String name, int quantity) {
        }

        @PostMapping(path = "/api/items/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
        Map<String, Object> item(@PathVariable String id, @RequestBody Item item) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("id", id);
            out.put("name", item.name());
            out.put("doubled", item.quantity() * 2);
            out.put("tags", List.of("a", "b"));
            return out;
        }

        @GetMapping("/api/fail")
        String fail() {
            throw new IllegalStateException("kaboom");
        }

        @PostMapping("/form")
        String form(@RequestParam String name, @RequestParam int age) {
            return name + " is " + age;
        }

        @PostMapping("/upload")
        String upload(@RequestParam("file") MultipartFile file) throws IOException {
            CRC32 crc = new CRC32();
            long size = 0;
            byte[] buf = new byte[64 * 1024];
            try (InputStream in = file.getInputStream()) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    crc.update(buf, 0, n);
                    size += n;
                }
            }
            return file.getOriginalFilename() + " " + size + " " + Long.toHexString(crc.getValue());
        }

        /** A form with text fields and a file: text fields must bind whatever the file-size threshold. */
        @PostMapping({"/api/titled", "/titled"})
        String titled(@RequestParam String title, @RequestParam("file") MultipartFile file) {
            return title + " " + file.getOriginalFilename() + " " + file.getSize();
        }

        @GetMapping("/download")
        ResponseEntity<Resource> download() {
            return ResponseEntity.ok().contentType(MediaType.APPLICATION_OCTET_STREAM)
                    .body(new ByteArrayResource(DOWNLOAD) {
                        @Override
                        public String getFilename() {
                            return "data.bin";
                        }
                    });
        }

        @GetMapping("/deferred")
        DeferredResult<String> deferred() {
            DeferredResult<String> result = new DeferredResult<>(5_000L);
            CompletableFuture.runAsync(() -> result.setResult("deferred from " + Thread.currentThread().getName()),
                    CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS));
            return result;
        }

        @GetMapping("/callable")
        java.util.concurrent.Callable<String> callable() {
            return () -> "callable on " + (Thread.currentThread().getName().startsWith("saker-worker") ? "worker" : "executor");
        }

        @GetMapping("/deferred-timeout")
        DeferredResult<String> deferredTimeout() {
            return new DeferredResult<>(200L);
        }

        @GetMapping("/sse")
        SseEmitter sse() {
            SseEmitter emitter = new SseEmitter(10_000L);
            CompletableFuture.runAsync(() -> {
                try {
                    emitter.send(SseEmitter.event().name("tick").data("one"));
                    if (!sseGate.await(10, TimeUnit.SECONDS)) {
                        emitter.completeWithError(new IllegalStateException("gate not opened"));
                        return;
                    }
                    emitter.send(SseEmitter.event().name("tick").data("two"));
                    emitter.complete();
                } catch (IOException | InterruptedException e) {
                    emitter.completeWithError(e);
                }
            });
            return emitter;
        }

        @GetMapping("/secure/me")
        String me(Principal principal) {
            return "hello " + principal.getName();
        }
    }

    /** What the container's global error page reaches: status and path as JSON. */
    @RestController
    static class ErrorController {
        @RequestMapping("/error")
        ResponseEntity<Map<String, Object>> error(HttpServletRequest request) {
            Object status = request.getAttribute("jakarta.servlet.error.status_code");
            int code = status instanceof Integer ? (Integer) status : 500;
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", code);
            body.put("path", request.getAttribute("jakarta.servlet.error.request_uri"));
            return ResponseEntity.status(code).contentType(MediaType.APPLICATION_JSON).body(body);
        }
    }
}
