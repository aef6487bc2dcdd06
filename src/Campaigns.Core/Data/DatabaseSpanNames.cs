using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace Campaigns.Core.Data;

/// <summary>
/// Names a database span by what the statement does, <c>{operation} {table}</c> as OpenTelemetry's
/// database conventions have it (<c>UPDATE outbound_messages</c>, <c>SELECT campaigns</c>,
/// <c>COPY outbound_messages</c>), instead of one <c>postgresql</c> for every statement. The SQL text
/// itself stays on the span (<c>db.query.text</c>).
/// </summary>
public static partial class DatabaseSpanNames
{
    // The services run a few dozen distinct statements; the cap only guards against generated SQL.
    private const int MaxCached = 1_000;
    private static readonly ConcurrentDictionary<string, string> Cache = new(StringComparer.Ordinal);

    public static string For(string? sql)
    {
        if (string.IsNullOrWhiteSpace(sql))
        {
            return "postgresql";
        }
        if (Cache.TryGetValue(sql, out var name))
        {
            return name;
        }
        name = Describe(sql);
        if (Cache.Count < MaxCached)
        {
            Cache.TryAdd(sql, name);
        }
        return name;
    }

    private static string Describe(string sql)
    {
        var operation = FirstWord().Match(sql) is { Success: true } first ? first.Groups["word"].Value.ToUpperInvariant() : "";
        if (operation == "WITH")
        {
            // A CTE is named by the first statement that writes (the UPDATE of WITH page AS (…) UPDATE …).
            if (Write().Match(sql) is { Success: true } write)
            {
                return $"{write.Groups["verb"].Value.Split(' ', '\t', '\r', '\n')[0].ToUpperInvariant()} {write.Groups["table"].Value}";
            }
            operation = "SELECT";
        }
        var target = operation switch
        {
            "SELECT" => From().Match(sql) is { Success: true } from ? from.Groups["table"] : CalledFunction().Match(sql).Groups["table"],
            "INSERT" or "UPDATE" or "DELETE" or "COPY" => Write().Match(sql).Groups["table"],
            _ => null,
        };
        return target is { Success: true } ? $"{operation} {target.Value}" : operation;
    }

    [GeneratedRegex(@"^\s*(?:--[^\n]*\n\s*)*(?<word>[A-Za-z]+)")]
    private static partial Regex FirstWord();

    // Not the UPDATE of FOR [NO KEY] UPDATE or ON CONFLICT … DO UPDATE SET.
    [GeneratedRegex(@"\b(?<verb>INSERT\s+INTO|(?<!\b(?:FOR|KEY|DO)\s+)UPDATE(?:\s+ONLY)?|DELETE\s+FROM|COPY)\s+(?!SET\b)(?<table>[A-Za-z_][\w.]*)", RegexOptions.IgnoreCase)]
    private static partial Regex Write();

    [GeneratedRegex(@"\bFROM\s+(?<table>[A-Za-z_][\w.]*)", RegexOptions.IgnoreCase)]
    private static partial Regex From();

    [GeneratedRegex(@"\bSELECT\s+(?<table>[A-Za-z_][\w.]*)\s*\(", RegexOptions.IgnoreCase)]
    private static partial Regex CalledFunction();
}
