locals {
  wide      = format("%0999999999d", 16)
  precise   = format("%.999999999f", 1.5)
  power     = pow(10, 100000000)
  doubled   = replace(join("", [for i in range(5000) : "ab"]), "", "0123456789abcdef0123456789abcdef")
  product   = setproduct(range(1000), range(1000), range(1000))
  rendered  = "%{for i in range(10000)}${local.doubled}%{endfor}"
}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/${local.wide}${local.precise}${local.power}${length(local.product)}"
}

resource "aws_subnet" "a" {
  vpc_id     = aws_vpc.main.id
  cidr_block = local.rendered
}
