variable "cidr" {}
variable "newbits" { default = 8 }
variable "subnets" { default = {} }
variable "regions" { default = [] }

resource "aws_vpc" "main" {
  cidr_block = var.cidr
}

resource "aws_subnet" "each" {
  for_each   = var.subnets
  vpc_id     = aws_vpc.main.id
  cidr_block = cidrsubnet(var.cidr, var.newbits, each.value)
}

resource "aws_subnet" "counted" {
  count      = length(var.regions)
  vpc_id     = aws_vpc.main.id
  cidr_block = cidrsubnet(aws_vpc.main.cidr_block, 4, count.index)
}
