# Sourced by scripts that run a module's test-scope main class (harnesses, sample trainers):
# builds the module and its upstream modules, then sets CP to its test classes, classes and every
# dependency, Flink included.
#   module_test_classpath <module>
module_test_classpath() {
  local module=$1 cp_file
  cp_file=$(mktemp)
  # one reactor run: the sibling modules resolve to their target/classes, so nothing needs `mvn install`;
  # every module writes the file in turn, the requested one (built last) wins
  mvn -B -q -ntp -pl "$module" -am test-compile dependency:build-classpath -DskipTests \
    -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" >/dev/null
  CP="$module/target/test-classes:$module/target/classes:$(cat "$cp_file")"
  rm -f "$cp_file"
}
