/**
 * The {@code ser} command line: one picocli command per library entry point. An application, not a library: it
 * exports nothing (the converter-only jar reaches {@code ser.cli.Main} on the class path).
 */
module ser.cli {
    requires ser.engine;
    requires info.picocli;
    requires jdk.httpserver;   // ser serve (ser.serve.Server)

    opens ser.cli to info.picocli;     // picocli sets the commands' annotated fields by reflection
}
