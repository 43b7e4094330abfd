package org.medpolicy.app.cli;

import picocli.CommandLine;

/** The version printed by {@code medpolicy --version}: the build's, from the jar manifest. */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = Main.class.getPackage().getImplementationVersion();
        return new String[] {"medpolicy " + (version == null ? "development build" : version)};
    }
}
