package org.medpolicy.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * How {@code medpolicy clients}, {@code users}, {@code token} and the other commands on the
 * store reach the embedded database while a server has it open, without a network listener.
 *
 * <p>An embedded H2 file can be open in one process only. It used to be shared through H2's
 * {@code AUTO_SERVER}, a TCP port on which anyone who read the lock file's key was database
 * administrator (issue #12: {@code CREATE ALIAS} ran Java as the server's user). Now the server
 * listens on a Unix-domain socket beside the database ({@code data/medpolicy.sock}, mode 600 in
 * the owner-only folder), and a command typed while it runs sends the server its arguments, its
 * folder, its {@code MEDPOLICY_*} environment and, where it reads one, its input; the server runs
 * the same command on its own open database and sends back what it printed and its exit code. Only
 * a process of the server's own user can connect (the folder's and the socket's modes, and the
 * peer's credentials are checked), and that user could read the database file anyway: nothing is
 * reachable that was not before, and nothing at all from the network.
 *
 * <p>One request per connection: a JSON document, then end of output; the answer is a JSON
 * document. At most {@link #WORKERS} commands run at once; a request over {@link #MAX_REQUEST}
 * bytes is refused. Thread-safe.
 */
final class CommandSocket implements AutoCloseable {

    static final int WORKERS = 4;
    static final int MAX_REQUEST = 1 << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path socket;
    private final Path database;
    private final ServerSocketChannel channel;
    private final ExecutorService workers;
    private final Thread acceptor;

    private CommandSocket(Path socket, Path database, ServerSocketChannel channel) {
        this.socket = socket;
        this.database = database;
        this.channel = channel;
        this.workers = new ThreadPoolExecutor(0, WORKERS, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), runnable -> {
            Thread thread = new Thread(runnable, "medpolicy-command");
            thread.setDaemon(true);
            return thread;
        });
        this.acceptor = new Thread(this::accept, "medpolicy-command-socket");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** The socket beside the embedded database whose files start with {@code base} ({@code data/medpolicy} → {@code data/medpolicy.sock}). */
    static Path socketFor(Path base) {
        return base.resolveSibling(base.getFileName() + ".sock");
    }

    /**
     * Listens beside the embedded database at {@code base}. A socket file left by a killed server is
     * replaced: this process holds the database, so no other server can be behind it.
     */
    static CommandSocket listen(Path base) throws IOException {
        Path socket = socketFor(base);
        Files.deleteIfExists(socket);
        ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.bind(UnixDomainSocketAddress.of(socket));
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw new IOException("cannot listen on " + socket + " for commands: " + e.getMessage(), e);
        }
        return new CommandSocket(socket, base, channel);
    }

    Path path() {
        return socket;
    }

    private void accept() {
        while (channel.isOpen()) {
            SocketChannel connection;
            try {
                connection = channel.accept();
            } catch (IOException closed) {
                return;
            }
            try {
                workers.execute(() -> answer(connection));
            } catch (RejectedExecutionException busy) {
                reply(connection, ExitCodes.FAULT, "", "medpolicy: the server is running " + WORKERS + " commands already; try again\n");
            }
        }
    }

    private void answer(SocketChannel connection) {
        // Not try-with-resources: its catch would run after the connection is closed, and the
        // caller would get no answer to a request it got wrong. reply() closes it.
        try {
            if (!fromOurUser(connection)) {
                reply(connection, ExitCodes.FAULT, "", "medpolicy: only the server's own user may run commands on its database\n");
                return;
            }
            JsonNode request = JSON.readTree(readAll(Channels.newInputStream(connection), MAX_REQUEST));
            List<String> args = new ArrayList<>();
            request.path("args").forEach(arg -> args.add(arg.asText()));
            Map<String, String> environment = new TreeMap<>();
            request.path("environment").fields().forEachRemaining(entry -> environment.put(entry.getKey(), entry.getValue().asText()));
            byte[] input = request.hasNonNull("input") ? request.get("input").binaryValue() : null;
            Invocation invocation = new Invocation(Path.of(request.path("folder").asText("/")), environment, input);
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int exit;
            try (PrintWriter outWriter = new PrintWriter(out, true); PrintWriter errWriter = new PrintWriter(err, true)) {
                exit = Main.runAs(invocation, args.toArray(String[]::new), database, outWriter, errWriter);
            }
            reply(connection, exit, out.toString(), err.toString());
        } catch (IOException | RuntimeException e) {
            reply(connection, ExitCodes.BAD_INPUT, "", "medpolicy: the server could not read the command: " + e.getMessage() + "\n");
        }
    }

    /** The peer's user, by the kernel's account of it (SO_PEERCRED), is the one this server runs as. */
    private static boolean fromOurUser(SocketChannel connection) throws IOException {
        try {
            var peer = connection.getOption(jdk.net.ExtendedSocketOptions.SO_PEERCRED);
            return peer.user().getName().equals(System.getProperty("user.name"));
        } catch (UnsupportedOperationException notOnThisPlatform) {
            return true;   // the socket's mode (600) still keeps other users out
        }
    }

    private static void reply(SocketChannel connection, int exit, String out, String err) {
        ObjectNode answer = JSON.createObjectNode().put("exit", exit).put("out", out).put("err", err);
        try (connection) {
            ByteBuffer bytes = ByteBuffer.wrap(JSON.writeValueAsBytes(answer));
            while (bytes.hasRemaining()) {
                connection.write(bytes);
            }
        } catch (IOException gone) {
            // The command's caller went away: what it asked was done, and it can check.
        }
    }

    /**
     * Sends the command to the server listening at {@code socket} and prints its answer; null when no
     * server listens there (no socket, or one a killed server left), and the caller runs it itself.
     * With {@code sendInput}, this process's stdin is read to its end and sent as the command's.
     */
    static Integer forward(Path socket, String[] args, boolean sendInput, PrintWriter out, PrintWriter err) throws IOException {
        if (!Files.exists(socket)) {
            return null;
        }
        SocketChannel connection;
        try {
            connection = SocketChannel.open(UnixDomainSocketAddress.of(socket));
        } catch (IOException noServer) {
            return null;
        }
        try (connection) {
            ObjectNode request = JSON.createObjectNode();
            request.put("folder", Path.of("").toAbsolutePath().toString());
            var list = request.putArray("args");
            for (String arg : args) {
                list.add(arg);
            }
            ObjectNode environment = request.putObject("environment");
            new TreeMap<>(System.getenv()).forEach((name, value) -> {
                if (name.startsWith("MEDPOLICY_")) {
                    environment.put(name, value);
                }
            });
            if (sendInput) {
                request.put("input", readAll(System.in, MAX_REQUEST / 2));
            }
            ByteBuffer bytes = ByteBuffer.wrap(JSON.writeValueAsBytes(request));
            while (bytes.hasRemaining()) {
                connection.write(bytes);
            }
            connection.shutdownOutput();
            JsonNode answer = JSON.readTree(readAll(Channels.newInputStream(connection), Integer.MAX_VALUE));
            if (answer == null || !answer.isObject()) {
                // The server stopped (or was killed) while it ran the command: say so, not an empty exit 1.
                err.println("medpolicy: the server at " + socket + " stopped before it answered; the command may or may "
                        + "not have been carried out: check (e.g. 'clients list') before running it again");
                err.flush();
                return ExitCodes.FAULT;
            }
            out.print(answer.path("out").asText());
            out.flush();
            err.print(answer.path("err").asText());
            err.flush();
            return answer.path("exit").asInt(ExitCodes.FAULT);
        }
    }

    static byte[] readAll(InputStream in, int limit) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        for (int n; (n = in.read(buffer)) > 0; ) {
            if (bytes.size() + n > limit) {
                throw new IOException("more than " + limit + " bytes");
            }
            bytes.write(buffer, 0, n);
        }
        return bytes.toByteArray();
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Closing: nothing more to do with it.
        }
        workers.shutdown();
        try {
            workers.awaitTermination(10, TimeUnit.SECONDS);
            Files.deleteIfExists(socket);
        } catch (IOException | InterruptedException ignored) {
            // A socket file left behind is replaced by the next server.
        }
    }
}
