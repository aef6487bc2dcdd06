using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Campaigns.Tests.Infrastructure;

namespace Campaigns.Tests.CustomerEndpoints;

/// <summary>Customer calls the tests of this folder share, and the other ways to write a Kenyan number.</summary>
public static class CustomerCalls
{
    public static async Task<JsonNode> CreateCustomerAsync(this HttpClient client, object body, CancellationToken cancellationToken)
    {
        var response = await client.PostJsonAsync("/customers", body, cancellationToken);
        response.Expect(HttpStatusCode.Created);
        return response.Json;
    }

    public static Task<ApiResponse> ImportCsvAsync(this HttpClient client, string csv, CancellationToken cancellationToken) =>
        client.ImportAsync(csv, "text/csv", cancellationToken);

    public static Task<ApiResponse> ImportJsonAsync(this HttpClient client, string json, CancellationToken cancellationToken) =>
        client.ImportAsync(json, "application/json", cancellationToken);

    public static async Task<ApiResponse> ImportAsync(this HttpClient client, string body, string mediaType, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/customers/import")
        {
            Content = new StringContent(body, Encoding.UTF8, mediaType),
        };
        return await client.SendRawAsync(request, cancellationToken);
    }

    public static long Id(this JsonNode customer) => customer["id"]!.GetValue<long>();

    public static string Text(this JsonNode node, string member) => node[member]!.GetValue<string>();

    /// <summary><c>+254712345678</c> → <c>0712345678</c>.</summary>
    public static string National(string e164) => "0" + e164[4..];

    /// <summary><c>+254712345678</c> → <c>0712 345 678</c>.</summary>
    public static string NationalSpaced(string e164) => $"0{e164[4..7]} {e164[7..10]} {e164[10..]}";

    /// <summary><c>+254712345678</c> → <c>712345678</c>.</summary>
    public static string Subscriber(string e164) => e164[4..];

    /// <summary><c>+254712345678</c> → <c>+254 712-345-678</c>.</summary>
    public static string InternationalDashed(string e164) => $"+254 {e164[4..7]}-{e164[7..10]}-{e164[10..]}";

    public static long[] Ids(this JsonNode importResponse) =>
        importResponse["customer_ids"]!.AsArray().Select(id => id!.GetValue<long>()).ToArray();
}
