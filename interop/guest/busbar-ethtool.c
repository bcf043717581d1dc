/*
 * The two ethtool operations the test guest needs and busybox lacks, built statically into the
 * guest's initramfs by build-guest:
 *
 *   busbar-ethtool channels IFACE [N]   set N combined channels (queue pairs) first if given, then
 *                                       print "combined=C max_combined=M"
 *   busbar-ethtool stats IFACE          print the driver's statistics (ethtool -S), "name=value"
 *                                       one a line, e.g. tx_queue_1_packets=12
 *
 * A failed ioctl prints "error=<operation>: <strerror>" and exits 1, so the host sees why.
 */
#include <errno.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

static int ethtool(int fd, const char *iface, void *cmd, const char *what)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", iface);
	ifr.ifr_data = cmd;
	if (ioctl(fd, SIOCETHTOOL, &ifr) < 0) {
		printf("error=%s: %s\n", what, strerror(errno));
		return -1;
	}
	return 0;
}

static int channels(int fd, const char *iface, const char *count)
{
	struct ethtool_channels ch = { .cmd = ETHTOOL_GCHANNELS };

	if (ethtool(fd, iface, &ch, "ETHTOOL_GCHANNELS"))
		return 1;
	if (count) {
		char *end;
		unsigned long n = strtoul(count, &end, 10);

		if (*count == '\0' || *end != '\0' || n == 0 || n > ch.max_combined) {
			printf("error=channels: %s is not a count in 1..%u\n", count, ch.max_combined);
			return 1;
		}
		ch.cmd = ETHTOOL_SCHANNELS;
		ch.combined_count = (unsigned int)n;
		if (ethtool(fd, iface, &ch, "ETHTOOL_SCHANNELS"))
			return 1;
		ch.cmd = ETHTOOL_GCHANNELS;
		if (ethtool(fd, iface, &ch, "ETHTOOL_GCHANNELS"))
			return 1;
	}
	printf("combined=%u max_combined=%u\n", ch.combined_count, ch.max_combined);
	return 0;
}

static int stats(int fd, const char *iface)
{
	struct {
		struct ethtool_sset_info info;
		unsigned int count;
	} sset = { .info = { .cmd = ETHTOOL_GSSET_INFO, .sset_mask = 1ULL << ETH_SS_STATS } };
	struct ethtool_gstrings *names;
	struct ethtool_stats *values;
	unsigned int n, i;

	if (ethtool(fd, iface, &sset, "ETHTOOL_GSSET_INFO"))
		return 1;
	n = sset.info.sset_mask ? sset.count : 0;
	if (n == 0)
		return 0; /* a driver without statistics */
	names = calloc(1, sizeof(*names) + (size_t)n * ETH_GSTRING_LEN);
	values = calloc(1, sizeof(*values) + (size_t)n * sizeof(values->data[0]));
	if (!names || !values) {
		printf("error=stats: out of memory\n");
		return 1;
	}
	names->cmd = ETHTOOL_GSTRINGS;
	names->string_set = ETH_SS_STATS;
	names->len = n;
	values->cmd = ETHTOOL_GSTATS;
	values->n_stats = n;
	if (ethtool(fd, iface, names, "ETHTOOL_GSTRINGS") || ethtool(fd, iface, values, "ETHTOOL_GSTATS"))
		return 1;
	for (i = 0; i < n; i++)
		printf("%.*s=%llu\n", ETH_GSTRING_LEN, (char *)names->data + i * ETH_GSTRING_LEN,
		       (unsigned long long)values->data[i]);
	return 0;
}

int main(int argc, char **argv)
{
	int fd, rc;

	if (argc < 3 || (strcmp(argv[1], "channels") && strcmp(argv[1], "stats")) ||
	    (!strcmp(argv[1], "stats") && argc != 3) || argc > 4) {
		fprintf(stderr, "usage: %s channels IFACE [N] | stats IFACE\n", argv[0]);
		return 2;
	}
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0) {
		printf("error=socket: %s\n", strerror(errno));
		return 1;
	}
	rc = !strcmp(argv[1], "channels") ? channels(fd, argv[2], argc == 4 ? argv[3] : NULL)
					  : stats(fd, argv[2]);
	close(fd);
	return rc;
}
