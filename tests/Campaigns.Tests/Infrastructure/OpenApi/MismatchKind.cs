using System.Text.RegularExpressions;

namespace Campaigns.Tests.Infrastructure.OpenApi;

/// <summary>
/// A mismatch message without the values that differ from one request to the next (array indices, the
/// value found), so the report counts one fault of the document once, not once per row it was seen in.
/// </summary>
internal static partial class MismatchKind
{
    public static string Of(string message) =>
        Value().Replace(Index().Replace(message, "[*]"), "$1");

    /// <summary>The "… 3 more" tail of a long list of schema errors is no kind of its own.</summary>
    public static bool IsMore(string message) => message.Contains(": … ", StringComparison.Ordinal);

    [GeneratedRegex(@"\[[0-9]+\]")]
    private static partial Regex Index();

    // "$.status = "gone": …" → "$.status: …"; a quoted value may hold escapes, an unquoted one is a number, true, false or null.
    [GeneratedRegex(@"(\$\S*) = (?:""(?:[^""\\]|\\.)*""|[^\s:]+)(?=: )")]
    private static partial Regex Value();
}
