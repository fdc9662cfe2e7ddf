package dev.winnow.registry;

/** {@code name@alias}, {@code name:version} or a bare {@code name} (the latest version). */
public record ModelReference(String model, String alias, int version) {
    public static ModelReference parse(String reference) throws RegistryException {
        if (reference == null) throw new RegistryException(RegistryException.Kind.BAD_REQUEST, "no model reference");
        int at = reference.indexOf('@'), colon = reference.indexOf(':');
        if (at >= 0 && colon >= 0) throw new RegistryException(RegistryException.Kind.BAD_REQUEST, "use name@alias or name:version, not both: " + Names.abbreviate(reference));
        if (at >= 0) return new ModelReference(Names.model(reference.substring(0, at)), Names.alias(reference.substring(at + 1)), 0);
        if (colon >= 0) {
            String model = Names.model(reference.substring(0, colon));
            try {
                int v = Integer.parseInt(reference.substring(colon + 1));
                if (v < 1) throw new NumberFormatException();
                return new ModelReference(model, null, v);
            } catch (NumberFormatException e) {
                throw new RegistryException(RegistryException.Kind.BAD_REQUEST, "version must be a positive integer: " + Names.abbreviate(reference));
            }
        }
        return new ModelReference(Names.model(reference), null, 0);
    }

    @Override
    public String toString() {
        return alias != null ? model + "@" + alias : version > 0 ? model + ":" + version : model;
    }
}
