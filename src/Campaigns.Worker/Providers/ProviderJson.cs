using System.Net.Http.Json;
using System.Text.Json;

namespace Campaigns.Worker.Providers;

/// <summary>Reading provider bodies that may not be JSON at all (a proxy's HTML 503, a text error).</summary>
internal static class ProviderJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static async Task<T?> TryReadAsync<T>(HttpContent content, CancellationToken cancellationToken) where T : class
    {
        try
        {
            return await content.ReadFromJsonAsync<T>(Options, cancellationToken);
        }
        catch (JsonException)
        {
            return null;
        }
        catch (NotSupportedException)
        {
            // Not a JSON content type.
            return null;
        }
    }

    /// <summary>The start of a non-JSON body, for the error message (never the request: it may hold secrets).</summary>
    public static async Task<string> SnippetAsync(HttpContent content, CancellationToken cancellationToken)
    {
        var text = await content.ReadAsStringAsync(cancellationToken);
        return text.Length <= 200 ? text : text[..200];
    }
}
