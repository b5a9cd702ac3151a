// Development / test Neo4j 5 server: the embedded database with its Bolt connector.
//
// Run through tools/neo4j/run (which supplies the classpath and the JVM flags); by hand:
//   java -cp "$(cat tools/neo4j/.classpath)" <flags from run> tools/neo4j/Neo4jServer.java [options]
//
// Options (each also read from the environment; argv wins):
//   --port N        Bolt port on 127.0.0.1              (NEO4J_PORT, default 7687)
//   --data DIR      Neo4j home: data/ and logs/ go here  (NEO4J_DATA, default a temp dir deleted on exit)
//   --ignore-stdin  never stop on EOF of stdin
//   --delete-on-exit  delete the --data dir on shutdown (as for the default temp dir); a failed
//                   start keeps it for its logs
//
// Prints exactly one line to stdout, "NEO4J READY bolt://127.0.0.1:<port>", once Bolt accepts
// connections. Stops cleanly on SIGTERM/SIGINT (shutdown hook) or, when stdin is a pipe, on EOF of
// stdin: a parent holding the pipe takes the server down with it when it dies or closes the pipe.
// (Only a pipe/socket is watched, so `run < /dev/null &` or nohup keeps running.) Errors go to
// stderr; Neo4j's own logs go to <home>/logs (debug.log, and neo4j.log for the user log).

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.io.ByteUnit;
import org.neo4j.logging.log4j.Log4jLogProvider;

public class Neo4jServer {
    private static final String HOST = "127.0.0.1";

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(env("NEO4J_PORT", "7687"));
        String data = env("NEO4J_DATA", "");
        boolean watchStdin = true;
        boolean deleteOnExit = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--data" -> data = args[++i];
                case "--ignore-stdin" -> watchStdin = false;
                case "--delete-on-exit" -> deleteOnExit = true;
                default -> fail("unknown argument: " + args[i]
                        + " (usage: [--port N] [--data DIR] [--ignore-stdin] [--delete-on-exit])");
            }
        }
        checkPortFree(port); // fail in a second, not after a full database start
        boolean temporary = data.isEmpty();
        Path home = temporary ? Files.createTempDirectory("neo4j-dev-")
                              : Files.createDirectories(Path.of(data)).toAbsolutePath();
        boolean deleteHome = temporary || deleteOnExit;

        // Neo4j (and libraries it loads) may print to System.out; stdout is reserved for the READY
        // line, so everything else written there is sent to stderr.
        PrintStream stdout = System.out;
        System.setOut(System.err);

        // The user log (what a server writes to neo4j.log) goes to a file; the embedded default
        // would be no user log at all, which hides e.g. port-in-use details.
        Files.createDirectories(home.resolve("logs"));
        PrintStream userLog = new PrintStream(
                Files.newOutputStream(home.resolve("logs").resolve("neo4j.log")), true);

        DatabaseManagementService dbms;
        try {
            dbms = new DatabaseManagementServiceBuilder(home)
                    .setUserLogProvider(new Log4jLogProvider(userLog))
                    .setConfig(BoltConnector.enabled, true)
                    .setConfig(BoltConnector.listen_address, new SocketAddress(HOST, port))
                    .setConfig(BoltConnector.advertised_address, new SocketAddress(HOST, port))
                    .setConfig(HttpConnector.enabled, false)
                    .setConfig(HttpsConnector.enabled, false)
                    .setConfig(GraphDatabaseSettings.auth_enabled, false)
                    .setConfig(GraphDatabaseSettings.udc_enabled, false) // no usage-data phone-home
                    // Bolt's netty event loops otherwise wait a 5 s quiet period each on shutdown.
                    .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                    // Small footprint: tests run next to us on a 2-core machine.
                    .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(128))
                    .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                    .setConfig(GraphDatabaseSettings.logical_log_rotation_threshold, ByteUnit.mebiBytes(32))
                    // No backups or clusters read these logs; the default keeps two days of them, so a
                    // few benchmark loads left over a gigabyte per server in /tmp. Keep only the last.
                    .setConfig(GraphDatabaseSettings.keep_logical_logs, "false")
                    .build();
        } catch (RuntimeException e) {
            System.err.println("neo4j: failed to start: " + rootMessage(e) + " (logs: " + home.resolve("logs") + ")");
            if (temporary) deleteTree(home);
            System.exit(1);
            return;
        }

        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                dbms.shutdown(); // checkpoints and closes the stores, stops Bolt
            } finally {
                userLog.close();
                if (deleteHome) deleteTree(home);
            }
        }, "neo4j-shutdown"));

        var db = dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
        if (!db.isAvailable(Duration.ofMinutes(2).toMillis())) {
            fail("database 'neo4j' did not become available (logs: " + home.resolve("logs") + ")");
        }
        waitForBolt(port);
        stdout.println("NEO4J READY bolt://" + HOST + ":" + port);
        stdout.flush();

        if (watchStdin && stdinIsPipe()) {
            // EOF on stdin means whoever started us is gone (or closed the pipe to stop us).
            Thread watcher = new Thread(() -> {
                try (InputStream in = System.in) {
                    while (in.read() != -1) { /* ignore input */ }
                } catch (IOException ignored) {
                    // Treat a broken stdin like EOF.
                }
                System.exit(0); // runs the shutdown hook
            }, "stdin-watcher");
            watcher.setDaemon(true);
            watcher.start();
        }
        Thread.currentThread().join(); // keep running until System.exit / a signal
    }

    private static void checkPortFree(int port) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true); // like Bolt's own socket: TIME_WAIT leftovers don't count
            probe.bind(new InetSocketAddress(HOST, port));
        } catch (IOException e) {
            fail("cannot listen on " + HOST + ":" + port + ": " + e.getMessage());
        }
    }

    /** build() returns with the connector bound; still, report READY only once a TCP connect succeeds. */
    private static void waitForBolt(int port) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(HOST, port), 1000);
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) fail("Bolt is not accepting connections on port " + port);
                Thread.sleep(100);
            }
        }
    }

    /** Linux: is fd 0 a pipe or socket (a parent process), not /dev/null, a file or a terminal? */
    private static boolean stdinIsPipe() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/0")).toString();
            return target.startsWith("pipe:") || target.startsWith("socket:");
        } catch (IOException | UnsupportedOperationException e) {
            return false; // no /proc: rely on signals only
        }
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isEmpty() ? fallback : v;
    }

    private static String rootMessage(Throwable t) {
        StringBuilder sb = new StringBuilder(String.valueOf(t.getMessage()));
        for (Throwable c = t.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            sb.append(": ").append(c.getMessage());
        }
        return sb.toString();
    }

    private static void fail(String message) {
        System.err.println("neo4j: " + message);
        System.exit(2);
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // Best effort: a temp dir left behind is harmless.
        }
    }
}
