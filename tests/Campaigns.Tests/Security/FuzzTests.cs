using System.Net;
using System.Text.Json.Nodes;
using Campaigns.Tests.Infrastructure;
using CsCheck;

namespace Campaigns.Tests.Security;

/// <summary>
/// Thousands of generated requests, valid, boundary and hostile, across every endpoint, against the
/// real API on a database of its own: no 5xx, every 4xx in the envelope, and hostile text that is
/// accepted comes back exactly as sent (stored as data, never executed or altered).
/// </summary>
public sealed class FuzzTests(AppFixture fixture)
{
    private const int Requests = 5_000;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Generated_requests_never_fail_the_server_and_hostile_text_round_trips()
    {
        await using var isolated = await IsolatedApi.StartAsync(fixture, Ct);
        // Something to find at small ids.
        for (var i = 0; i < 3; i++)
        {
            await isolated.Client.CreateCampaignAsync(Ct);
            await isolated.Client.PostJsonAsync("/customers", new { phone = Unique.KenyanPhone(), first_name = "Seed" }, Ct);
        }

        var sent = 0;
        await FuzzRequests.Any.SampleAsync(async request =>
        {
            Interlocked.Increment(ref sent);
            var response = await SendAsync(isolated.Client, request);
            Assert.True((int)response.Status < 500, $"{(int)response.Status} for {request}: {response.Text}");
            if ((int)response.Status >= 400)
            {
                response.AssertEnvelope(errorCode: null);
            }
            AssertStoredExactly(request, response);
        }, iter: Requests, threads: 4);

        Assert.True(sent >= Requests);
    }

    private static async Task<ApiResponse> SendAsync(HttpClient client, FuzzRequest request)
    {
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), request.Path);
        if (request.Body is not null)
        {
            message.Content = new ByteArrayContent(request.Body);
            if (request.ContentType is not null)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", request.ContentType);
            }
        }
        return await client.SendRawAsync(message, Ct);
    }

    /// <summary>Created rows echo every text member byte for byte.</summary>
    private static void AssertStoredExactly(FuzzRequest request, ApiResponse response)
    {
        if (response.Status != HttpStatusCode.Created || request.Json is null || request.Body is null)
        {
            return;
        }
        // Compared with the bytes on the wire: a generated lone surrogate cannot be written as UTF-8,
        // so the serializer sends U+FFFD in its place, and that is what must come back.
        var sent = JsonNode.Parse(request.Body)!;
        foreach (var field in new[] { "name", "base_template", "first_name", "last_name", "location", "preferred_product" })
        {
            if (sent[field] is JsonValue sentValue && sentValue.TryGetValue<string>(out var text))
            {
                Assert.Equal(text, response.Json[field]?.GetValue<string>());
            }
        }
    }
}
