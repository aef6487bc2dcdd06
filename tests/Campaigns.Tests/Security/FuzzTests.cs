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

        // What the samples reached, so a run that never got past the door (every request 401, say) or
        // never met a rule (every request 2xx) cannot pass. Created rows are counted, not bounded: the
        // generator makes only a handful a run (about 6 in 5,000), too few to bound without a flake.
        int answered = 0, succeeded = 0, rejected = 0, roundTripped = 0;
        await FuzzRequests.Any.SampleAsync(async request =>
        {
            var response = await SendAsync(isolated.Client, request);
            Assert.True((int)response.Status < 500, $"{(int)response.Status} for {request}: {response.Text}");
            if ((int)response.Status >= 400)
            {
                response.AssertEnvelope(errorCode: null);
                Interlocked.Increment(ref rejected);
            }
            else
            {
                Interlocked.Increment(ref succeeded);
            }
            if (AssertStoredExactly(request, response))
            {
                Interlocked.Increment(ref roundTripped);
            }
            Interlocked.Increment(ref answered);
        }, iter: Requests, threads: 4);

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{answered} requests: {succeeded} succeeded, {rejected} rejected, {roundTripped} created rows compared");
        Assert.Equal(Requests, answered);
        Assert.True(succeeded >= Requests / 20, $"only {succeeded} of {Requests} generated requests succeeded");
        Assert.True(rejected >= Requests / 20, $"only {rejected} of {Requests} generated requests were rejected");
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
    /// <returns>Whether the response was a created row whose text was compared.</returns>
    private static bool AssertStoredExactly(FuzzRequest request, ApiResponse response)
    {
        if (response.Status != HttpStatusCode.Created || request.Json is null || request.Body is null)
        {
            return false;
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
        return true;
    }
}
