package dev.saker.bench.app;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The benchmark application. The same sources are packaged once per server (Saker, Tomcat, Jetty
 * with Spring MVC; Reactor Netty with WebFlux): the server on the class path is the only difference.
 */
@SpringBootApplication
public class BenchApplication {

    public static void main(String[] args) {
        SpringApplication.run(BenchApplication.class, args);
    }
}
