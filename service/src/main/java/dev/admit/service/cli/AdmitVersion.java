package dev.admit.service.cli;

import picocli.CommandLine.IVersionProvider;

/** The version the jar's manifest gives. */
final class AdmitVersion implements IVersionProvider {

    @Override
    public String[] getVersion() {
        String version = AdmitVersion.class.getPackage().getImplementationVersion();
        return new String[] {"admit " + (version == null ? "(development build)" : version)};
    }
}
