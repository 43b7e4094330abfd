package org.medpolicy.core;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version of this build of medpolicy, recorded with every logged determination. */
public final class EngineVersion {

    private static final String VERSION = load();

    private EngineVersion() {
    }

    public static String get() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = EngineVersion.class.getResourceAsStream("/org/medpolicy/core/version.properties")) {
            if (in == null) {
                return "development";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "development");
        } catch (IOException e) {
            return "development";
        }
    }
}
