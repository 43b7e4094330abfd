package org.medpolicy.app.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import org.medpolicy.core.log.PhiSeal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code medpolicy phi-key rotate | show}: the keys that seal PHI at rest. Rotation puts a new key
 * first in the key file: what is sealed from the next start of {@code serve} is sealed with it,
 * while everything sealed before still opens with the keys kept after it. Append-only records are
 * never rewritten, so a retired key stays in the file for as long as anything it sealed is kept.
 */
@Command(name = "phi-key", mixinStandardHelpOptions = true, description = "The keys that seal PHI at rest.",
        subcommands = {PhiKeyCommand.Rotate.class, PhiKeyCommand.Show.class})
final class PhiKeyCommand extends CommandGroup {

    /** Options both subcommands share: where the keys are. */
    static final class KeyFile {
        @Option(names = "--phi-key-file", defaultValue = "./data/phi.key", description = "The key file (one base64 key a line, the first seals).")
        Path file;

        Path resolved() {
            return Invocation.current().resolve(file);
        }
    }

    @Command(name = "rotate", mixinStandardHelpOptions = true,
            description = {"Puts a new key first in the key file; the keys before it are kept to open what they sealed.",
                    "Restart serve (every instance) to seal with it."})
    static final class Rotate implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        KeyFile keys;
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            if (Invocation.current().env("MEDPOLICY_PHI_KEY") != null) {
                spec.commandLine().getErr().println("medpolicy: MEDPOLICY_PHI_KEY is set, so the key file is not what serve uses: "
                        + "put a new key (medpolicy phi-key rotate --phi-key-file on a copy) first where that variable is kept");
                return ExitCodes.BAD_INPUT;
            }
            Path file = keys.resolved();
            if (!Files.exists(file)) {
                spec.commandLine().getErr().println("medpolicy: there is no key file at " + file + " (serve makes it on first start)");
                return ExitCodes.BAD_INPUT;
            }
            List<byte[]> kept = StoreOptions.phiKeys(Files.readString(file), file.toString());
            List<String> lines = new ArrayList<>();
            byte[] fresh = StoreOptions.newPhiKey();
            lines.add(Base64.getEncoder().encodeToString(fresh));
            kept.forEach(key -> lines.add(Base64.getEncoder().encodeToString(key)));
            Path next = file.resolveSibling(file.getFileName() + ".new");
            StoreOptions.writeSecret(next, String.join("\n", lines));
            Files.move(next, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            PhiSeal ring = new PhiSeal(fresh, kept);
            spec.commandLine().getOut().println("sealing key is now " + ring.keyId() + "; still opening with "
                    + String.join(", ", ring.keyIds().subList(1, ring.keyIds().size())) + ". Restart serve to seal with it.");
            return ExitCodes.OK;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Prints the ids of the keys (never the keys), the sealing key's first.")
    static final class Show implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        KeyFile keys;
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            PhiSeal ring = StoreOptions.phiSeal(keys.resolved(), false);
            if (ring.keyIds().isEmpty()) {
                spec.commandLine().getErr().println("medpolicy: there is no PHI key at " + keys.resolved());
                return ExitCodes.BAD_INPUT;
            }
            ring.keyIds().forEach(spec.commandLine().getOut()::println);
            return ExitCodes.OK;
        }
    }
}
