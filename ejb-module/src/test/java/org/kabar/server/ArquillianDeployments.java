package org.kabar.server;

import java.io.File;
import java.util.Arrays;
import java.util.Objects;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * Builds the WAR the Arquillian tests deploy: the server logic, its persistence unit, the bean
 * pools of the real WAR and the Derby jars. The adapter RAR is deployed before it by a post-boot
 * command (see the failsafe configuration), as in production.
 */
public final class ArquillianDeployments {

  private ArquillianDeployments() {}

  /** The node's web application as a test archive. */
  public static WebArchive node() {
    File derbyDir = new File(System.getProperty("kabar.test.derbyDir", "target/derby"));
    File[] derbyJars =
        Objects.requireNonNull(derbyDir.listFiles((dir, name) -> name.endsWith(".jar")));
    if (derbyJars.length < 3) {
      throw new IllegalStateException("Derby jars missing in " + derbyDir + ": run mvn verify");
    }
    return ShrinkWrap.create(WebArchive.class, "kabar-test.war")
        .addPackages(true, "org.kabar.server")
        .addAsResource("META-INF/persistence.xml")
        .addAsWebInfResource(
            new File("../web-admin/src/main/webapp/WEB-INF/glassfish-ejb-jar.xml"),
            "glassfish-ejb-jar.xml")
        .addAsLibraries(Arrays.asList(derbyJars).toArray(new File[0]));
  }
}
