locals {
  numbers  = concat(range(10000), range(10000))
  strings  = [for n in local.numbers : "subnet-${n}"]
  set      = toset(local.strings)
  unique   = distinct(local.numbers)
  common   = setintersection(local.strings, local.strings)
  left     = setsubtract(local.strings, slice(local.strings, 0, 5000))
}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/${length(local.set) + length(local.unique) + length(local.common) + length(local.left)}"
}
