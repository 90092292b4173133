package dev.saker.server.transport;

import io.netty.channel.Channel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.unix.Buffer;
import io.netty.channel.unix.Socket;
import java.io.IOException;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes an epoll listening socket ignore new connection attempts while it stays open: a classic BPF
 * socket filter drops every segment that carries SYN without ACK. Handshakes already under way
 * still complete (their final ACK passes), connections already queued stay queued, and a client
 * whose SYN was dropped sends it again a second later, by when the socket is closed and the kernel
 * refuses it, which a load balancer retries on another instance. Closing a listener without this
 * resets whatever completed its handshake between the last accept and the close, requests included.
 *
 * <p>Loaded only with the epoll transport. Needs a 64-bit Linux (x86-64 or AArch64, where
 * {@code SO_ATTACH_FILTER} is 26); elsewhere it does nothing and says so.
 */
final class EpollSynFilter {

    private static final Logger log = LoggerFactory.getLogger(EpollSynFilter.class);
    private static final int SOL_SOCKET = 1;
    private static final int SO_ATTACH_FILTER = 26;
    /** Classic BPF opcodes. */
    private static final short LD_B_ABS = 0x30;
    private static final short ALU_AND_K = 0x54;
    private static final short JMP_JEQ_K = 0x15;
    private static final short RET_K = 0x06;
    private static final int TCP_FLAGS_OFFSET = 13;
    private static final int SYN = 0x02;
    private static final int ACK = 0x10;
    private static final int INSTRUCTIONS = 5;

    private EpollSynFilter() {
    }

    /**
     * Attaches the filter to {@code listener}.
     *
     * @return whether new connection attempts are now ignored
     */
    static boolean refuseNewConnections(Channel listener) {
        if (!(listener instanceof EpollServerSocketChannel epoll) || !listener.isOpen()) {
            return false;
        }
        if (!supported()) {
            log.debug("ignoring new connections is not supported on {}; {} closes with its backlog taken only",
                    System.getProperty("os.arch"), listener);
            return false;
        }
        // The program sees a segment from its TCP header (the IP header is pulled before socket filters run).
        ByteBuffer program = ByteBuffer.allocateDirect(INSTRUCTIONS * 8).order(ByteOrder.nativeOrder());
        instruction(program, LD_B_ABS, 0, 0, TCP_FLAGS_OFFSET);
        instruction(program, ALU_AND_K, 0, 0, SYN | ACK);
        instruction(program, JMP_JEQ_K, 0, 1, SYN);
        instruction(program, RET_K, 0, 0, 0);
        instruction(program, RET_K, 0, 0, -1);
        // struct sock_fprog on 64 bits: unsigned short len, 6 bytes of padding, the program's address.
        ByteBuffer fprog = ByteBuffer.allocateDirect(16).order(ByteOrder.nativeOrder());
        fprog.putShort(0, (short) INSTRUCTIONS);
        fprog.putLong(8, Buffer.memoryAddress(program));
        try {
            ((Socket) epoll.fd()).setRawOpt(SOL_SOCKET, SO_ATTACH_FILTER, fprog);
            return true;
        } catch (IOException | RuntimeException e) {
            log.debug("could not make {} ignore new connections; it closes with its backlog taken only", listener, e);
            return false;
        } finally {
            // The kernel copies the program during the call: it must live until then.
            Reference.reachabilityFence(program);
        }
    }

    private static boolean supported() {
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        return Buffer.addressSize() == 8 && (arch.equals("amd64") || arch.equals("x86_64") || arch.equals("aarch64"));
    }

    private static void instruction(ByteBuffer program, short code, int jumpTrue, int jumpFalse, int k) {
        program.putShort(code).put((byte) jumpTrue).put((byte) jumpFalse).putInt(k);
    }
}
