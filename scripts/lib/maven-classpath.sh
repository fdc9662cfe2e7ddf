# Sourced by the scripts that start JVMs from Maven Central jars (cluster.sh, kafka.sh), the way a
# distribution's lib/ would hold them:
#   maven_classpath <work dir> <groupId:artifactId:version>...
# writes <work dir>/pom.xml with those dependencies and log4j, resolves it once (offline first: the build
# has usually brought the jars to ~/.m2), caches the classpath in <work dir>/lib.txt until the calling
# script changes, and sets LIB to it.
maven_classpath() {
  local work=$1; shift
  mkdir -p "$work"
  if [ ! -s "$work/lib.txt" ] || [ "$0" -nt "$work/lib.txt" ]; then
    {
      echo '<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>'
      echo "  <groupId>dev.winnow.local</groupId><artifactId>$(basename "$work")-lib</artifactId><version>1</version><packaging>pom</packaging>"
      echo '  <dependencies>'
      local gav g a v
      for gav in "$@" org.apache.logging.log4j:log4j-slf4j-impl:2.24.3 org.apache.logging.log4j:log4j-core:2.24.3; do
        IFS=: read -r g a v <<<"$gav"
        echo "    <dependency><groupId>$g</groupId><artifactId>$a</artifactId><version>$v</version></dependency>"
      done
      echo '  </dependencies>'
      echo '</project>'
    } > "$work/pom.xml"
    mvn -B -q -ntp -o -f "$work/pom.xml" dependency:build-classpath -Dmdep.outputFile=lib.txt >/dev/null 2>&1 \
      || mvn -B -q -ntp -f "$work/pom.xml" dependency:build-classpath -Dmdep.outputFile=lib.txt >/dev/null
  fi
  LIB=$(cat "$work/lib.txt")
}
