using System.Net.Http.Json;
using Microsoft.AspNetCore.WebUtilities;

namespace Campaigns.Tests.Infrastructure.OpenApi;

/// <summary>What the contract checks of a response.</summary>
internal sealed record ResponseSeen(int Status, string? MediaType, byte[] Body, Func<string, IReadOnlyList<string>?> Header);

/// <summary>What the contract checks of a request the API accepted.</summary>
internal sealed record RequestSeen(
    IReadOnlyDictionary<string, string> PathValues,
    Func<string, IReadOnlyList<string>?> Query,
    Func<string, IReadOnlyList<string>?> Header,
    RequestBodySeen Body);

/// <param name="Bytes">The body, or null when it could not be read without consuming it (a stream).</param>
internal sealed record RequestBodySeen(bool Present, string? MediaType, byte[]? Bytes)
{
    public static RequestBodySeen None { get; } = new(false, null, null);
}

/// <summary>Reads both sides of an exchange without taking anything from the test that made it.</summary>
internal static class HttpExchange
{
    /// <summary>Bodies above this are not validated: the suite's large imports would only cost time.</summary>
    public const int MaxRequestBodyBytes = 1024 * 1024;

    public static async Task<ResponseSeen> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        // Buffered, the body can still be read by the test (ReadAsStreamAsync would hand it a used stream).
        await response.Content.LoadIntoBufferAsync(cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        return new ResponseSeen((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, body,
            name => Values(response.Headers, name) ?? Values(response.Content.Headers, name));
    }

    /// <param name="content">The content as the request was given it: a handler further in may swap it for a stream.</param>
    public static async Task<RequestSeen> ReadAsync(HttpRequestMessage request, HttpContent? content, IReadOnlyDictionary<string, string> pathValues,
        CancellationToken cancellationToken)
    {
        var query = QueryHelpers.ParseQuery(request.RequestUri?.Query);
        return new RequestSeen(pathValues,
            name => query.TryGetValue(name, out var values) ? [.. values.Select(value => value ?? "")] : null,
            name => Values(request.Headers, name) ?? (content is null ? null : Values(content.Headers, name)),
            await ReadBodyAsync(content, cancellationToken));
    }

    private static async Task<RequestBodySeen> ReadBodyAsync(HttpContent? content, CancellationToken cancellationToken)
    {
        if (content is null)
        {
            return RequestBodySeen.None;
        }
        var mediaType = content.Headers.ContentType?.MediaType;
        // Contents that can be read again; a stream (or a body held open by a test) cannot.
        var rereadable = content is ByteArrayContent or ReadOnlyMemoryContent or JsonContent;
        if (!rereadable || content.Headers.ContentLength > MaxRequestBodyBytes)
        {
            return new RequestBodySeen(content.Headers.ContentLength != 0, mediaType, null);
        }
        var bytes = await content.ReadAsByteArrayAsync(cancellationToken);
        return new RequestBodySeen(bytes.Length > 0, mediaType, bytes.Length > MaxRequestBodyBytes ? null : bytes);
    }

    // NonValidated: a name that belongs to the other collection (Content-Type) reads as absent, not as an error.
    private static string[]? Values(System.Net.Http.Headers.HttpHeaders headers, string name) =>
        headers.NonValidated.TryGetValues(name, out var values) ? [.. values] : null;
}
