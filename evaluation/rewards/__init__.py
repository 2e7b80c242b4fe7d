"""Rewards (奖励, seed 六.4): each year's fund, the advisers nominated from the evidence, the
government's approval, the amounts allocated within the fund, the payments, and the printed
decision list (表彰奖励名单)."""
