# Sourced by scripts that run a module's test-scope main class (harnesses, sample trainers):
# compiles the module and its upstream modules, then sets CP to its test classes, classes and every
# dependency, Flink included.
#   module_test_classpath <module>
# Sibling modules resolve from the reactor (their target/ directories), so this works on a fresh
# clone where nothing was ever installed into ~/.m2; the classpath file is written for every module
# of the reactor, the requested one last.
module_test_classpath() {
  local module=$1 cp_file
  cp_file=$(mktemp)
  mvn -B -q -ntp -pl "$module" -am test-compile dependency:build-classpath -DskipTests \
      -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" >/dev/null \
    || { echo "could not build $module or resolve its classpath (run: mvn -pl $module -am test-compile)" >&2; rm -f "$cp_file"; return 1; }
  CP="$module/target/test-classes:$module/target/classes:$(cat "$cp_file")"
  rm -f "$cp_file"
}

# Runs a module's test-scope main class in place of the calling script, with the Vector API module the
# runtime's kernels use:
#   exec_test_main <module> <main class> [args...]
exec_test_main() {
  local module=$1 main=$2
  shift 2
  module_test_classpath "$module"
  exec java --add-modules jdk.incubator.vector -cp "$CP" "$main" "$@"
}
