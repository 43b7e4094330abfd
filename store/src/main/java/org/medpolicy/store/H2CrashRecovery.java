package org.medpolicy.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;

/**
 * Brings back what H2 2.5.252 would drop when it reopens a file after the process was killed.
 *
 * <p>The defect (found by reading H2's {@code RandomAccessStore} and {@code FileStore}, and
 * reproduced with {@code kill -9} under concurrent writers: 7 kills in 43 lost 74 acknowledged
 * commits). A chunk written into a gap in the middle of the file makes H2 rewrite the store header,
 * but the header then names the <em>previous</em> chunk, whose "next chunk" pointer is only a
 * guess that missed. Later chunks do not rewrite it for up to 20 versions. A normal reopen starts
 * from the header's chunk, follows the wrong pointer, stops, and accepts that older version as the
 * last: every acknowledged commit after it is dropped, and its space reused. Every chunk was
 * written (each commit is written before it returns, {@code WRITE_DELAY=0}); only the way back to
 * them was lost.
 *
 * <p>The cure. H2 marks the header {@code clean:1} when it closes a file and drops the mark with the
 * first write after opening, so a file without the mark was not closed: it is opened once in
 * MVStore's recovery mode, a full scan that finds the newest complete chunk, and closed, which
 * writes a clean header pointing at it. In the same 43 kills, that lost nothing. A file held by a
 * running server (an AUTO_SERVER owner) is locked and left alone. It must run before anything
 * else opens the file: a normal open after a crash overwrites the chunks it did not find.
 *
 * <p>Check these three methods again on any H2 upgrade: {@code FileStore.storeBuffer},
 * {@code RandomAccessStore.writeChunk}, {@code RandomAccessStore.readStoreHeader}. Stateless.
 */
final class H2CrashRecovery {

    private H2CrashRecovery() {
    }

    /** What {@link #recoverIfUnclean} found: nothing to do, a file in use, or a recovery and how long it took. */
    record Outcome(String what, boolean recovered) {
    }

    /** Recovers the MVStore file of the database at {@code base} (the path without {@code .mv.db}) if it was not closed. */
    static Outcome recoverIfUnclean(Path base) throws IOException {
        Path file = base.resolveSibling(base.getFileName() + ".mv.db");
        if (!Files.exists(file) || Files.size(file) == 0) {
            return new Outcome("new database", false);
        }
        if (closedCleanly(file)) {
            return new Outcome("closed cleanly", false);
        }
        long started = System.nanoTime();
        try {
            // No background writer or compaction while it is open: it only finds the newest version and closes.
            MVStore store = new MVStore.Builder().fileName(file.toString()).recoveryMode().autoCommitDisabled().open();
            long version = store.getCurrentVersion();
            store.close();
            return new Outcome("not closed cleanly: recovered to store version " + version + " in "
                    + (System.nanoTime() - started) / 1_000_000 + " ms", true);
        } catch (MVStoreException e) {
            if (e.getErrorCode() == DataUtils.ERROR_FILE_LOCKED) {
                return new Outcome("in use by a running server", false);
            }
            throw new IOException("the embedded database " + file + " was not closed cleanly and could not be recovered: "
                    + e.getMessage(), e);
        }
    }

    /** True when the store header (the file's first line) carries H2's {@code clean:1} mark. */
    static boolean closedCleanly(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer block = ByteBuffer.allocate(4096);
            channel.read(block, 0);
            String header = new String(block.array(), 0, block.position(), StandardCharsets.ISO_8859_1);
            int end = header.indexOf('\n');
            return end > 0 && ("," + header.substring(0, end) + ",").contains(",clean:1,");
        }
    }
}
