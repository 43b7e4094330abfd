package org.medpolicy.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medpolicy.store.Database;

/**
 * The socket through which a running server runs the commands typed against its embedded database
 * (issue #12: no network listener for the embedded store). It runs commands on its own database
 * only, never {@code serve}, refuses what is too large, and a socket no server answers any more
 * (a killed one left it) makes the command run here.
 */
class CommandSocketTest {

    @TempDir
    Path folder;

    private record Ran(int exit, String out, String err) {
    }

    private static Ran main(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Ran(exit, out.toString(), err.toString());
    }

    private static Ran forward(Path socket, String... args) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Integer exit = CommandSocket.forward(socket, args, false, new PrintWriter(out, true), new PrintWriter(err, true));
        assertThat(exit).as("a server answered").isNotNull();
        return new Ran(exit, out.toString(), err.toString());
    }

    @Test
    void aCommandOnTheServersDatabaseIsRunByTheServer() throws Exception {
        Path base = folder.resolve("data").resolve("medpolicy");
        String db = "--db=jdbc:h2:file:" + base;
        try (Database held = Database.open("jdbc:h2:file:" + base, null, null);
             CommandSocket socket = CommandSocket.listen(base.toAbsolutePath())) {
            Files.writeString(folder.resolve("public.json"), main("clients", "keygen", "--out", folder.resolve("k.jwk").toString()).out());
            Ran added = main("clients", "add", "--id", "through-the-socket", "--jwks-file", folder.resolve("public.json").toString(),
                    "--scopes", "system/determinations.read", db);
            assertThat(added.exit()).as(added.err()).isZero();
            assertThat(added.out()).contains("registered backend client 'through-the-socket'");
            assertThat(new org.medpolicy.store.JdbcClientRegistry(held).find("through-the-socket"))
                    .as("in the database the server holds").isPresent();

            Ran serve = forward(socket.path(), "serve", "--port", "0", db);
            assertThat(serve.exit()).isEqualTo(ExitCodes.BAD_INPUT);
            assertThat(serve.err()).contains("only commands on its own database");

            Ran elsewhere = forward(socket.path(), "clients", "list", "--db=jdbc:h2:file:" + folder.resolve("other"));
            assertThat(elsewhere.exit()).isEqualTo(ExitCodes.BAD_INPUT);
            assertThat(Files.exists(folder.resolve("other.mv.db"))).as("no other database opened").isFalse();

            try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket.path()))) {
                ByteBuffer tooLarge = ByteBuffer.allocate(CommandSocket.MAX_REQUEST + 1);
                while (tooLarge.hasRemaining()) {
                    channel.write(tooLarge);
                }
                channel.shutdownOutput();
                String answer = new String(CommandSocket.readAll(java.nio.channels.Channels.newInputStream(channel), 1 << 16), StandardCharsets.UTF_8);
                assertThat(answer).contains("could not read the command");
            }
        }
    }

    @Test
    void aSocketNoServerAnswersIsPassedBy() throws Exception {
        Path base = folder.resolve("data").resolve("medpolicy");
        Files.createDirectories(base.getParent());
        try (var stale = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            stale.bind(UnixDomainSocketAddress.of(CommandSocket.socketFor(base)));
        }
        assertThat(Files.exists(CommandSocket.socketFor(base))).as("left behind, as by a killed server").isTrue();
        Ran listed = main("clients", "list", "--db=jdbc:h2:file:" + base);
        assertThat(listed.exit()).as(listed.err()).isZero();
        assertThat(Files.exists(base.resolveSibling("medpolicy.mv.db"))).as("opened here").isTrue();
    }

    /** A server that stops while it runs a command (killed, say) leaves the CLI saying so, not an empty failure. */
    @Test
    void aServerThatStopsBeforeAnsweringIsSaidToHaveStopped() throws Exception {
        Path socket = folder.resolve("stopping.sock");
        try (var listening = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            listening.bind(UnixDomainSocketAddress.of(socket));
            Thread server = new Thread(() -> {
                try (SocketChannel accepted = listening.accept()) {
                    accepted.read(ByteBuffer.allocate(64 * 1024));   // takes the command, then goes without answering
                } catch (java.io.IOException ignored) {
                    // the test reads what the client said
                }
            });
            server.start();
            Ran stopped = forward(socket, "clients", "list");
            server.join(5_000);
            assertThat(stopped.exit()).isEqualTo(ExitCodes.FAULT);
            assertThat(stopped.err()).contains("stopped before it answered").contains("may or may not have been carried out");
        }
    }
}
