// Maven's own ordering of versions, for tests that check what Maven makes of generated ones:
// each input line "A B" gets one output line, the sign of ComparableVersion(A).compareTo(B).
// One JVM answers every question of a test file (java -cp maven-artifact.jar MavenCompare.java).
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.apache.maven.artifact.versioning.ComparableVersion;

public class MavenCompare {
  public static void main(String[] args) throws Exception {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = in.readLine()) != null; ) {
      String[] pair = line.split(" ", 2);
      System.out.println(Integer.signum(new ComparableVersion(pair[0]).compareTo(new ComparableVersion(pair[1]))));
      System.out.flush();
    }
  }
}
