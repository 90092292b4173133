package dev.saker.sample;

import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The endpoints the benchmarks and the tests use. */
@RestController
public class SampleController {

    private static final byte[] HELLO = "Hello, World!".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    @GetMapping(path = "/plaintext", produces = MediaType.TEXT_PLAIN_VALUE)
    byte[] plaintext() {
        return HELLO;
    }

    @GetMapping(path = "/json", produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, String> json() {
        return Map.of("message", "Hello, World!");
    }

    @PostMapping("/echo")
    ResponseEntity<byte[]> echo(@RequestBody(required = false) byte[] body,
                                @RequestHeader(name = HttpHeaders.CONTENT_TYPE, required = false) String contentType) {
        ResponseEntity.BodyBuilder response = ResponseEntity.ok();
        if (contentType != null) {
            response.header(HttpHeaders.CONTENT_TYPE, contentType);
        }
        return response.body(body == null ? new byte[0] : body);
    }

    @GetMapping(path = "/slow", produces = MediaType.TEXT_PLAIN_VALUE)
    String slow(@RequestParam(defaultValue = "1000") long ms) throws InterruptedException {
        Thread.sleep(Math.max(0, Math.min(ms, 60_000)));
        return "slept " + ms + " ms";
    }
}
