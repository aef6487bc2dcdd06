using System.Net;
using System.Net.Sockets;

namespace Campaigns.Api.Security;

/// <summary>The client an anonymous budget belongs to: its IPv4 address, or its IPv6 /64.</summary>
public static class ClientAddress
{
    /// <summary>
    /// One IPv6 subscriber usually holds a whole /64, so a budget per address would be one per
    /// request. Behind a reverse proxy this is the proxy's address unless forwarded headers are applied.
    /// </summary>
    public static string PartitionOf(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }
        var bytes = address.GetAddressBytes();
        bytes.AsSpan(8).Clear();
        return new IPAddress(bytes) + "/64";
    }
}
