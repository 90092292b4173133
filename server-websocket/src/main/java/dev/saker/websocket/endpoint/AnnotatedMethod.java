package dev.saker.websocket.endpoint;

import dev.saker.websocket.session.Payloads;
import jakarta.websocket.CloseReason;
import jakarta.websocket.DecodeException;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Session;
import jakarta.websocket.server.PathParam;
import java.lang.annotation.Annotation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;

/**
 * One {@code @OnOpen}, {@code @OnClose}, {@code @OnError} or {@code @OnMessage} method with where
 * each of its parameters comes from, resolved once at registration (4.7, 4.8 and 4.9 of the
 * specification). Calling it resolves the arguments and invokes the method.
 */
final class AnnotatedMethod {

    private final Method method;
    private final ParameterSource[] sources;

    AnnotatedMethod(Method method, ParameterSource[] sources) {
        this.method = method;
        this.sources = sources;
        method.setAccessible(true);
    }

    Method method() {
        return method;
    }

    /** @return what the method returned; its own exception is thrown as is */
    Object invoke(Object target, CallContext call) throws Throwable {
        Object[] args = new Object[sources.length];
        for (int i = 0; i < sources.length; i++) {
            args[i] = sources[i].resolve(call);
        }
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /**
     * The source of a parameter every kind of method may have ({@link Session},
     * {@code @PathParam}) or that its kind allows ({@code EndpointConfig} for {@code @OnOpen},
     * {@code CloseReason} for {@code @OnClose}, {@code Throwable} for {@code @OnError}), or
     * {@code null} when it is none of those.
     */
    static ParameterSource common(Method method, Parameter parameter, Class<? extends Annotation> kind)
            throws DeploymentException {
        Class<?> type = parameter.getType();
        PathParam pathParam = parameter.getAnnotation(PathParam.class);
        if (pathParam != null) {
            return pathParameter(method, pathParam.value(), type);
        }
        if (type == Session.class) {
            return CallContext::session;
        }
        if (kind == jakarta.websocket.OnOpen.class && EndpointConfig.class.isAssignableFrom(type)) {
            return CallContext::config;
        }
        if (kind == jakarta.websocket.OnClose.class && type == CloseReason.class) {
            return CallContext::closeReason;
        }
        if (kind == jakarta.websocket.OnError.class && type == Throwable.class) {
            return CallContext::error;
        }
        return null;
    }

    private static ParameterSource pathParameter(Method method, String name, Class<?> type) throws DeploymentException {
        if (!Payloads.fromTextSupported(type)) {
            throw new DeploymentException("@PathParam(\"" + name + "\") of " + method + " must be a String, a "
                    + "primitive or a primitive's box, not " + type.getName());
        }
        return call -> {
            String value = call.session().getPathParameters().get(name);
            if (value == null) {
                if (type.isPrimitive()) {
                    throw new DecodeException((String) null, "the endpoint path has no variable {" + name + "}");
                }
                return null;
            }
            try {
                return Payloads.fromText(type, value);
            } catch (IllegalArgumentException e) {
                throw new DecodeException(value, "path parameter " + name + " is not a " + type.getName(), e);
            }
        };
    }

    static DeploymentException unexpected(Method method, Parameter parameter) {
        return new DeploymentException("parameter " + parameter.getName() + " (" + parameter.getType().getName()
                + ") of " + method + " is not one this method may have");
    }
}
