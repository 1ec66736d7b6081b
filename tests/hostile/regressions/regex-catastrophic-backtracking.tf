locals {
  # Nested repetition against a near miss: exponential for a backtracking engine.
  nested  = regex("^(a+)+$", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab")
  words   = regexall("(\\w+\\s?)*\\.", "name of the network without the final dot and long enough to hang")
  renamed = replace("10.0.0.0/16--------------------------------------------------x", "/(-+-+)+y/", "")
}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/${length(local.nested)}${length(local.words)}"
}

resource "aws_subnet" "a" {
  vpc_id     = aws_vpc.main.id
  cidr_block = local.renamed
}
