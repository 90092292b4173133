package dev.saker.servlet.context;

import jakarta.servlet.ServletException;

/** Creates the application's servlets, filters and listeners from their class or class name. */
final class Instances {

    private Instances() {
    }

    /** @return a new instance of {@code className}, loaded by {@code loader}, as a {@code type} */
    static <T> T load(String className, Class<T> type, ClassLoader loader) throws ServletException {
        try {
            Class<?> cls = Class.forName(className, true, loader);
            return type.cast(create(cls));
        } catch (ClassNotFoundException | ClassCastException e) {
            throw new ServletException("cannot load " + type.getSimpleName() + " class " + className, e);
        }
    }

    /** @return a new instance made by the public no-arg constructor */
    static <T> T create(Class<T> cls) throws ServletException {
        try {
            return cls.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new ServletException("cannot instantiate " + cls.getName() + " (it needs a public no-arg constructor)", e);
        }
    }
}
