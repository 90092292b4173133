package dev.saker.websocket.endpoint;

/** Where one parameter of an annotated method takes its argument from, decided at registration. */
@FunctionalInterface
interface ParameterSource {

    Object resolve(CallContext call) throws Exception;
}
