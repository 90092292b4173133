package dev.saker.servlet.session;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sessions saved to one file (Tomcat's {@code SESSIONS.ser} role). Each attribute value is
 * serialized on its own, so a value that cannot be written (not {@link java.io.Serializable}) or
 * read back (class gone) is skipped with a warning and its session survives without it. The file
 * is written beside its final name and moved into place, so a crash never leaves half a file.
 * Like any Java serialization store, the directory must be writable by the application only.
 */
final class SessionFile {

    private static final Logger log = LoggerFactory.getLogger(SessionFile.class);
    private static final int MAGIC = 0x53414B53; // "SAKS"
    private static final int VERSION = 1;

    private final Path file;

    SessionFile(Path file) {
        this.file = file;
    }

    Path path() {
        return file;
    }

    /** Writes the sessions, replacing the file (removing it when there are none). */
    void save(List<SessionState> sessions) throws IOException {
        if (sessions.isEmpty()) {
            Files.deleteIfExists(file);
            return;
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(temp)))) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(sessions.size());
            for (SessionState session : sessions) {
                out.writeUTF(session.id());
                out.writeLong(session.creationTime());
                out.writeLong(session.lastAccessedTime());
                out.writeLong(session.thisAccessedTime());
                out.writeInt(session.maxInactiveInterval());
                out.writeBoolean(session.isNew());
                Map<String, byte[]> values = serializable(session);
                out.writeInt(values.size());
                for (Map.Entry<String, byte[]> value : values.entrySet()) {
                    out.writeUTF(value.getKey());
                    out.writeInt(value.getValue().length);
                    out.write(value.getValue());
                }
            }
        }
        try {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static Map<String, byte[]> serializable(SessionState session) {
        Map<String, byte[]> values = new LinkedHashMap<>();
        for (Map.Entry<String, Object> attribute : session.attributes().entrySet()) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(attribute.getValue());
            } catch (IOException e) {
                log.warn("session attribute '{}' ({}) is not serializable: not persisted ({})", attribute.getKey(),
                        attribute.getValue().getClass().getName(), e.toString());
                continue;
            }
            values.put(attribute.getKey(), bytes.toByteArray());
        }
        return values;
    }

    /**
     * Reads the saved sessions (an empty list when there is no file) and deletes the file: once in
     * memory, the sessions are saved again at the next stop.
     */
    List<SessionState> load(ClassLoader loader) throws IOException {
        List<SessionState> sessions = new ArrayList<>();
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            if (in.readInt() != MAGIC || in.readInt() != VERSION) {
                throw new IOException("not a Saker session file (or another version): " + file);
            }
            int count = in.readInt();
            for (int i = 0; i < count; i++) {
                String id = in.readUTF();
                long creation = in.readLong();
                long lastAccessed = in.readLong();
                long thisAccessed = in.readLong();
                int maxInactive = in.readInt();
                boolean isNew = in.readBoolean();
                int attributes = in.readInt();
                Map<String, Object> values = new LinkedHashMap<>();
                for (int a = 0; a < attributes; a++) {
                    String name = in.readUTF();
                    byte[] bytes = in.readNBytes(in.readInt());
                    Object value = deserialize(bytes, loader, name);
                    if (value != null) {
                        values.put(name, value);
                    }
                }
                sessions.add(new SessionState(id, creation, lastAccessed, thisAccessed, maxInactive, isNew, values));
            }
        } catch (NoSuchFileException e) {
            return sessions;
        }
        Files.deleteIfExists(file);
        return sessions;
    }

    private static Object deserialize(byte[] bytes, ClassLoader loader, String name) {
        try (ObjectInputStream in = new LoaderObjectInputStream(new ByteArrayInputStream(bytes), loader)) {
            return in.readObject();
        } catch (IOException | ClassNotFoundException | RuntimeException e) {
            log.warn("session attribute '{}' of a saved session cannot be read back: dropped ({})", name, e.toString());
            return null;
        }
    }

    /** Resolves classes through the application's class loader, not this library's. */
    private static final class LoaderObjectInputStream extends ObjectInputStream {

        private final ClassLoader loader;

        LoaderObjectInputStream(InputStream in, ClassLoader loader) throws IOException {
            super(in);
            this.loader = loader;
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            try {
                return Class.forName(desc.getName(), false, loader);
            } catch (ClassNotFoundException e) {
                return super.resolveClass(desc);
            }
        }
    }
}
