import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassFileVersion;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeTransform;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * A build step (cli/pom.xml, after the shade): rewrites the classes of a jar whose class-file version is older than
 * Java 6 (50) as version 52 (Java 8), with the stack-map frames the newer versions require computed by the JDK's
 * class-file API (java.lang.classfile). The bytecode is otherwise the same. Why: the ahead-of-time cache
 * (docs/startup.md) cannot hold classes older than version 50, and the JVM verifies them with the slow old
 * verifier at every start; picocli's jar is built for Java 5.
 *
 * <pre>java tools/UpgradeClassFiles.java JAR</pre>
 *
 * Rewrites JAR in place (through a temporary file) and keeps every entry's time, so that the jar is the same for
 * the same input; prints how many classes it upgraded.
 */
public final class UpgradeClassFiles {

    private static final int TARGET_MAJOR = 52;

    public static void main(String[] args) throws IOException {
        Path jar = Path.of(args[0]);
        Path tmp = jar.resolveSibling(jar.getFileName() + ".upgrading");
        int upgraded = 0;
        try (ZipFile zip = new ZipFile(jar.toFile());
             ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(tmp))) {
            // Stack-map frames need the supertypes of the classes they merge: the jar's own, else the JDK's.
            ClassHierarchyResolver fromJar = ClassHierarchyResolver.ofResourceParsing(desc -> {
                String name = desc.descriptorString();
                ZipEntry e = zip.getEntry(name.substring(1, name.length() - 1) + ".class");
                try {
                    return e == null ? null : zip.getInputStream(e);
                } catch (IOException ex) {
                    throw new java.io.UncheckedIOException(ex);
                }
            });
            ClassFile cf = ClassFile.of(ClassFile.ClassHierarchyResolverOption.of(
                    fromJar.orElse(ClassHierarchyResolver.defaultResolver())));
            var entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                byte[] bytes;
                try (InputStream in = zip.getInputStream(e)) {
                    bytes = in.readAllBytes();
                }
                if (e.getName().endsWith(".class") && bytes.length > 8 && major(bytes) < 50) {
                    bytes = cf.transformClass(cf.parse(bytes),
                            ClassTransform.dropping(el -> el instanceof ClassFileVersion)
                                    .andThen(ClassTransform.transformingMethodBodies(CodeTransform.ACCEPT_ALL))
                                    .andThen(ClassTransform.endHandler(b -> b.withVersion(TARGET_MAJOR, 0))));
                    upgraded++;
                }
                ZipEntry copy = new ZipEntry(e.getName());
                copy.setTime(e.getTime());
                out.putNextEntry(copy);
                out.write(bytes);
                out.closeEntry();
            }
        }
        Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING);
        System.out.println("UpgradeClassFiles: " + upgraded + " classes of " + jar.getFileName() + " now class-file version " + TARGET_MAJOR);
    }

    private static int major(byte[] b) {
        return ((b[6] & 0xff) << 8) | (b[7] & 0xff);
    }

    private UpgradeClassFiles() {}
}
