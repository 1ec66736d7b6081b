# Calls itself four times: 4**20 instances before the depth limit would stop it.
module "again" {
  source = "./"
  count  = 4
}

resource "aws_vpc_peering_connection" "link" {
  vpc_id      = "vpc-0a"
  peer_vpc_id = "vpc-0b"
}

output "cidr" {
  value = "10.0.0.0/16"
}
