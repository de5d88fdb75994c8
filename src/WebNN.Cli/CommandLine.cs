using System.Globalization;

namespace WebNN.Cli;

/// <summary>Reads <c>--name value</c> and <c>--flag</c> options (a value option may repeat); rejects what it does not know.</summary>
internal sealed class CommandLine
{
    private readonly Dictionary<string, List<string>> _options = new(StringComparer.Ordinal);

    public CommandLine(string[] args, IReadOnlyCollection<string> valueOptions, IReadOnlyCollection<string> flags)
    {
        for (int i = 0; i < args.Length; i++)
        {
            string arg = args[i];
            if (flags.Contains(arg))
            {
                _options[arg] = [];
            }
            else if (valueOptions.Contains(arg))
            {
                if (i + 1 >= args.Length)
                {
                    throw new UsageException($"{arg} needs a value.");
                }
                if (!_options.TryGetValue(arg, out var values))
                {
                    _options[arg] = values = [];
                }
                values.Add(args[++i]);
            }
            else
            {
                throw new UsageException($"unknown option '{arg}'.");
            }
        }
    }

    public bool Has(string flag) => _options.ContainsKey(flag);

    /// <summary>The option's last value, or null when it is not given.</summary>
    public string? Value(string option) => _options.GetValueOrDefault(option)?.LastOrDefault();

    /// <summary>Every value given for a repeatable option, in order.</summary>
    public IReadOnlyList<string> Values(string option) => _options.GetValueOrDefault(option) ?? [];

    public int Int(string option, int defaultValue, int min)
    {
        if (Value(option) is not { } text)
        {
            return defaultValue;
        }
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) || value < min)
        {
            throw new UsageException($"{option} must be an integer ≥ {min}, not '{text}'.");
        }
        return value;
    }

    public MLPowerPreference Power() => Value("--power") switch
    {
        null or "default" => MLPowerPreference.Default,
        "high-performance" => MLPowerPreference.HighPerformance,
        "low-power" => MLPowerPreference.LowPower,
        var other => throw new UsageException($"--power must be default, high-performance or low-power, not '{other}'."),
    };
}
