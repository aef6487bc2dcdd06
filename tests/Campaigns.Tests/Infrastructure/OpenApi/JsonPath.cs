using System.Text.RegularExpressions;

namespace Campaigns.Tests.Infrastructure.OpenApi;

/// <summary>A JSON pointer as the <c>$.data[0].status</c> a reader of a failure message expects.</summary>
internal static partial class JsonPath
{
    public static string From(string pointer) =>
        "$" + string.Concat(pointer.Split('/').Skip(1)
            .Select(segment => segment.Replace("~1", "/").Replace("~0", "~"))
            .Select(segment => segment switch
            {
                _ when Index().IsMatch(segment) => $"[{segment}]",
                _ when Name().IsMatch(segment) => "." + segment,
                _ => $"['{segment}']",
            }));

    [GeneratedRegex("^(0|[1-9][0-9]*)$")]
    private static partial Regex Index();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex Name();
}
