using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Campaigns.Tests.Infrastructure;

/// <summary>Calls the API the way a client does: raw JSON in, parsed JSON out, field names as on the wire.</summary>
public static class HttpJson
{
    public static async Task<ApiResponse> SendJsonAsync(this HttpClient client, HttpMethod method, string path, object? body = null,
        CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            var json = body as string ?? JsonSerializer.Serialize(body);
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }
        return await client.SendRawAsync(request, cancellationToken);
    }

    public static Task<ApiResponse> GetJsonAsync(this HttpClient client, string path, CancellationToken cancellationToken = default) =>
        client.SendJsonAsync(HttpMethod.Get, path, null, cancellationToken);

    public static Task<ApiResponse> PostJsonAsync(this HttpClient client, string path, object? body, CancellationToken cancellationToken = default) =>
        client.SendJsonAsync(HttpMethod.Post, path, body, cancellationToken);

    public static Task<ApiResponse> PatchJsonAsync(this HttpClient client, string path, object? body, CancellationToken cancellationToken = default) =>
        client.SendJsonAsync(HttpMethod.Patch, path, body, cancellationToken);

    public static Task<ApiResponse> DeleteJsonAsync(this HttpClient client, string path, CancellationToken cancellationToken) =>
        client.SendJsonAsync(HttpMethod.Delete, path, null, cancellationToken);

    /// <summary><c>POST /campaigns/{id}/send</c> with this exact body text and an <c>Idempotency-Key</c>.</summary>
    public static async Task<ApiResponse> SendWithIdempotencyKeyAsync(this HttpClient client, long campaignId, string body, string key,
        CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/campaigns/{campaignId}/send")
        {
            Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Idempotency-Key", key);
        return await client.SendRawAsync(request, cancellationToken);
    }

    public static async Task<ApiResponse> SendRawAsync(this HttpClient client, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var response = await client.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return new ApiResponse(response.StatusCode, response.Content.Headers.ContentType, response.Headers.Location,
            response.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase),
            text.Length == 0 ? null : JsonNode.Parse(text), text);
    }
}

public sealed record ApiResponse(HttpStatusCode Status, MediaTypeHeaderValue? ContentType, Uri? Location,
    IReadOnlyDictionary<string, string> Headers, JsonNode? Body, string Text)
{
    public JsonNode Json => Body ?? throw new InvalidOperationException($"Empty body (status {(int)Status})");

    public string? ErrorCode => Body?["error"]?["code"]?.GetValue<string>();

    /// <summary>Asserts the status, and for errors the full envelope of api.md.</summary>
    public ApiResponse Expect(HttpStatusCode status, string? errorCode = null)
    {
        Assert.True(Status == status, $"Expected {(int)status}, got {(int)Status}: {Text}");
        if ((int)status >= 400)
        {
            AssertEnvelope(errorCode);
        }
        return this;
    }

    public void AssertEnvelope(string? errorCode)
    {
        Assert.Equal("application/problem+json", ContentType?.MediaType);
        var body = Json;
        Assert.Equal((int)Status, body["status"]!.GetValue<int>());
        Assert.False(string.IsNullOrEmpty(body["title"]?.GetValue<string>()));
        Assert.StartsWith("/problems/", body["type"]!.GetValue<string>());
        var code = body["error"]!["code"]!.GetValue<string>();
        Assert.False(string.IsNullOrWhiteSpace(body["error"]!["message"]!.GetValue<string>()));
        Assert.Matches("^[0-9a-f]{32}$", body["trace_id"]!.GetValue<string>());
        if (errorCode is not null)
        {
            Assert.Equal(errorCode, code);
        }
    }
}
