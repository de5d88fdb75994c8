namespace WebNN.Cli;

/// <summary>The <c>webnn</c> command: one sub-command per verb.</summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        string verb = args.Length > 0 ? args[0] : "help";
        string[] rest = args.Length > 0 ? args[1..] : [];
        switch (verb)
        {
            case "help":
            case "--help":
            case "-h":
                PrintUsage();
                return 0;
            default:
                Console.Error.WriteLine($"webnn: unknown command '{verb}'.");
                PrintUsage();
                return 2;
        }
    }

    private static void PrintUsage()
    {
        Console.WriteLine("""
            usage: webnn <command> [options]
            commands:
              help        this text
            """);
    }
}
