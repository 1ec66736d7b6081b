module "network" {
  source = "./network"
}

resource "aws_vpc" "main" {
  cidr_block = module.network.cidr
}
