# A script that fails at line 5 (the dom0scriptfail ISO): the commands
# before it run, the ones after it do not.
echo before the failure

nosuchcommand with arguments
echo never reached
